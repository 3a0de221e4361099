"""Graph algorithms on node ids: ordered inputs, topological order, cycles."""

from __future__ import annotations

from collections import defaultdict

from app.graph.spec import GraphSpec


def ordered_inputs(graph: GraphSpec) -> dict[str, list[str]]:
    """Sources feeding each node, ordered by ``port`` and then by edge order."""
    ids = {node.id for node in graph.nodes}
    incoming: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for index, edge in enumerate(graph.edges):
        if edge.source in ids and edge.target in ids:
            port = edge.port if edge.port is not None else 10_000 + index
            incoming[edge.target].append((port, index, edge.source))
    return {node.id: [src for _, _, src in sorted(incoming[node.id])] for node in graph.nodes}


def successors(graph: GraphSpec) -> dict[str, list[str]]:
    ids = {node.id for node in graph.nodes}
    out: dict[str, list[str]] = {node.id: [] for node in graph.nodes}
    for edge in graph.edges:
        if edge.source in ids and edge.target in ids:
            out[edge.source].append(edge.target)
    return out


def topological_order(graph: GraphSpec) -> list[str] | None:
    """Kahn's algorithm, stable on node order; None when there is a cycle."""
    inputs = ordered_inputs(graph)
    succ = successors(graph)
    indegree = {node_id: len(srcs) for node_id, srcs in inputs.items()}
    position = {node.id: i for i, node in enumerate(graph.nodes)}
    ready = sorted((n for n, d in indegree.items() if d == 0), key=position.__getitem__)
    order: list[str] = []
    while ready:
        node_id = ready.pop(0)
        order.append(node_id)
        newly = []
        for target in succ[node_id]:
            indegree[target] -= 1
            if indegree[target] == 0:
                newly.append(target)
        ready = sorted(ready + newly, key=position.__getitem__)
    return order if len(order) == len(indegree) else None


def find_cycles(graph: GraphSpec) -> list[list[str]]:
    """Strongly connected components that form cycles (Tarjan, iterative)."""
    succ = successors(graph)
    index_of: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    cycles: list[list[str]] = []
    counter = 0
    for root in succ:
        if root in index_of:
            continue
        work = [(root, iter(succ[root]))]
        index_of[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index_of:
                    index_of[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(succ[child])))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index_of[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index_of[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in succ[node]:
                    cycles.append(list(reversed(component)))
    return cycles


def is_chain(graph: GraphSpec) -> bool:
    """True when the graph is one Input followed by a single path: Sequential."""
    if not graph.nodes or any(node.shares for node in graph.nodes):
        return False
    inputs = ordered_inputs(graph)
    succ = successors(graph)
    starts = [n for n, srcs in inputs.items() if not srcs]
    if len(starts) != 1 or len(graph.edges) != len(graph.nodes) - 1:
        return False
    seen, current = [starts[0]], starts[0]
    while succ[current]:
        if len(succ[current]) != 1:
            return False
        current = succ[current][0]
        if len(inputs[current]) != 1 or current in seen:
            return False
        seen.append(current)
    return len(seen) == len(graph.nodes)


def default_outputs(graph: GraphSpec) -> list[str]:
    succ = successors(graph)
    return [node.id for node in graph.nodes if not succ[node.id]]
