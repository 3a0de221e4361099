// Starting points offered by "New project", as graph contracts. Positions are
// left out: the page lays them out with the layered layout on open.

const chain = (layers) => ({
  nodes: layers.map(([id, type, params]) => ({ id, type, params })),
  edges: layers.slice(1).map(([id], i) => ({ source: layers[i][0], target: id })),
});

export const TEMPLATES = [
  {
    id: "blank",
    title: "Blank canvas",
    description: "An empty canvas: drag an Input from the palette to start.",
    graph: { nodes: [], edges: [] },
  },
  {
    id: "tutorial_mlp",
    title: "Tutorial regression MLP",
    description: "The Keras tutorial's model: 3 inputs → Dense 128 relu → Dense 32 relu → Dense 1 (pairs with the tutorial_regression dataset).",
    graph: chain([
      ["x", "Input", { shape: [3] }],
      ["h1", "Dense", { units: 128, activation: "relu" }],
      ["h2", "Dense", { units: 32, activation: "relu" }],
      ["y", "Dense", { units: 1 }],
    ]),
  },
  {
    id: "classifier_2d",
    title: "2-D classifier",
    description: "Two input features → two hidden layers → one sigmoid unit (for circle, xor, spiral, gaussian).",
    graph: chain([
      ["x", "Input", { shape: [2] }],
      ["h1", "Dense", { units: 16, activation: "relu" }],
      ["h2", "Dense", { units: 16, activation: "relu" }],
      ["p", "Dense", { units: 1, activation: "sigmoid" }],
    ]),
  },
  {
    id: "digits_cnn",
    title: "Digits CNN",
    description: "8×8 grey digit images → two convolutions and pooling → 10-way softmax (for the digits dataset).",
    graph: chain([
      ["image", "Input", { shape: [8, 8, 1] }],
      ["conv1", "Conv2D", { filters: 16, kernel_size: [3, 3], padding: "same", activation: "relu" }],
      ["pool1", "MaxPooling2D", { pool_size: [2, 2] }],
      ["conv2", "Conv2D", { filters: 32, kernel_size: [3, 3], activation: "relu" }],
      ["flat", "Flatten", {}],
      ["hidden", "Dense", { units: 64, activation: "relu" }],
      ["drop", "Dropout", { rate: 0.3 }],
      ["digit", "Dense", { units: 10, activation: "softmax" }],
    ]),
  },
  {
    id: "lstm_sequence",
    title: "LSTM sequence model",
    description: "Sequences of 20 steps with 1 feature → stacked LSTMs → the next value (for the sine dataset).",
    graph: chain([
      ["seq", "Input", { shape: [20, 1] }],
      ["lstm1", "LSTM", { units: 32, return_sequences: true }],
      ["lstm2", "LSTM", { units: 16 }],
      ["next", "Dense", { units: 1 }],
    ]),
  },
  {
    id: "residual_block",
    title: "Residual block",
    description: "A Dense block whose input skips ahead and is added back (Add), as in ResNets.",
    graph: {
      nodes: [
        { id: "x", type: "Input", params: { shape: [16] } },
        { id: "stem", type: "Dense", params: { units: 32, activation: "relu" } },
        { id: "block1", type: "Dense", params: { units: 32, activation: "relu" } },
        { id: "block2", type: "Dense", params: { units: 32 } },
        { id: "skip_add", type: "Add", params: {} },
        { id: "relu", type: "Activation", params: { activation: "relu" } },
        { id: "y", type: "Dense", params: { units: 1 } },
      ],
      edges: [
        { source: "x", target: "stem" },
        { source: "stem", target: "block1" },
        { source: "block1", target: "block2" },
        { source: "stem", target: "skip_add", port: 0 },
        { source: "block2", target: "skip_add", port: 1 },
        { source: "skip_add", target: "relu" },
        { source: "relu", target: "y" },
      ],
    },
  },
  {
    id: "shared_two_input",
    title: "Two inputs, shared layer",
    description: "Two inputs go through the same Dense layer (one set of weights, Keras shared layers), then are concatenated.",
    graph: {
      nodes: [
        { id: "left", type: "Input", params: { shape: [8] } },
        { id: "right", type: "Input", params: { shape: [8] } },
        { id: "encode_left", type: "Dense", params: { units: 16, activation: "relu" } },
        { id: "encode_right", type: "Dense", params: {}, shares: "encode_left" },
        { id: "merge", type: "Concatenate", params: {} },
        { id: "score", type: "Dense", params: { units: 1, activation: "sigmoid" } },
      ],
      edges: [
        { source: "left", target: "encode_left" },
        { source: "right", target: "encode_right" },
        { source: "encode_left", target: "merge", port: 0 },
        { source: "encode_right", target: "merge", port: 1 },
        { source: "merge", target: "score" },
      ],
    },
  },
];

export function template(id) {
  const found = TEMPLATES.find((t) => t.id === id);
  return found ? structuredClone(found.graph) : null;
}
