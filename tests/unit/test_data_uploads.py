"""CSV and NPZ parsing: encodings, standardisation, and errors that name column, row and field."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pytest

from app.data.uploads import UploadOptions, parse_feature_list, parse_upload
from app.errors import Invalid, TooLarge

LIMITS = {"max_bytes": 1_000_000, "max_rows": 1_000}

PETS = b"weight,height,kind\n4.0,30,cat\n30,60,dog\n5.5,28,cat\n2,10,bird\n"


def csv(data: bytes, filename: str = "data.csv", **options):
    return parse_upload(data, filename=filename, options=UploadOptions(**options), **LIMITS)


def npz(filename: str = "data.npz", options: UploadOptions | None = None, compressed: bool = False, **arrays):
    buffer = io.BytesIO()
    (np.savez_compressed if compressed else np.savez)(buffer, **arrays)
    return parse_upload(buffer.getvalue(), filename=filename, options=options or UploadOptions(), **LIMITS)


def test_categorical_target_becomes_sorted_integer_labels():
    parsed = csv(PETS, target="kind")
    data = parsed.arrays
    assert data.task == "classification" and data.label_encoding == "integer"
    assert data.class_names == ["bird", "cat", "dog"] and data.n_classes == 3
    assert data.y.dtype == np.int64 and data.y.tolist() == [1, 2, 1, 0]
    assert data.x.dtype == np.float32 and data.x.tolist() == [[4, 30], [30, 60], [5.5, 28], [2, 10]]
    assert data.feature_names == ["weight", "height"] and data.name == "data"
    assert parsed.encoding == {"format": "csv", "target": "kind", "target_encoding": "integer",
                               "standardized": False, "source": "data.csv"}


def test_onehot_target():
    data = csv(PETS, target="kind", target_encoding="onehot").arrays
    assert data.label_encoding == "onehot" and data.y.dtype == np.float32
    assert data.y.tolist() == [[0, 1, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0]]


def test_numeric_codes_are_classes_in_numeric_order_when_asked():
    data = csv(b"x,y\n1,10\n2,2\n3,2.0\n4,10\n", target_encoding="integer").arrays
    assert data.class_names == ["2", "10"] and data.y.tolist() == [1, 0, 0, 1]


def test_numeric_target_is_regression_under_auto_and_none():
    for encoding in ("auto", "none"):
        data = csv(b"a,b,y\n1,2,0.5\n3,4,1.5\n", target_encoding=encoding).arrays
        assert data.task == "regression" and data.y.dtype == np.float32 and data.y.tolist() == [0.5, 1.5]
        assert data.label_encoding is None and data.class_names is None


def test_target_defaults_to_last_column_and_features_can_be_picked():
    data = csv(PETS, features="height").arrays
    assert data.feature_names == ["height"] and data.x.shape == (4, 1)
    data = csv(PETS, features=parse_feature_list('["height", "weight"]'), target="kind").arrays
    assert data.feature_names == ["height", "weight"] and data.x[0].tolist() == [30, 4]


def test_standardisation_gives_mean_zero_std_one_and_keeps_the_parameters():
    parsed = csv(PETS, target="kind", standardize=True)
    np.testing.assert_allclose(parsed.arrays.x.mean(axis=0), 0, atol=1e-6)
    np.testing.assert_allclose(parsed.arrays.x.std(axis=0), 1, atol=1e-6)
    np.testing.assert_allclose(parsed.standardization["mean"], [10.375, 32])
    assert parsed.encoding["standardized"] is True


def test_constant_column_standardises_to_zero_not_nan():
    data = csv(b"a,b,y\n1,5,0\n2,5,1\n", standardize=True).arrays
    assert data.x[:, 1].tolist() == [0, 0]


def test_semicolon_files_and_crlf_and_bom_and_blank_lines():
    data = csv(b"\xef\xbb\xbfa;b;y\r\n1;2;x\r\n\r\n3;4;z\r\n").arrays
    assert data.feature_names == ["a", "b"] and data.class_names == ["x", "z"] and len(data) == 2


def test_missing_value_names_column_and_row():
    with pytest.raises(Invalid) as info:
        csv(b"a,b,y\n1,2,3\n4,5,6\n7,,9\n")
    assert info.value.field == "file"
    assert "Missing value" in info.value.message and "'b'" in info.value.message and "row 3" in info.value.message


@pytest.mark.parametrize("token", ["NA", "nan", "?", "null"])
def test_missing_tokens_are_missing(token):
    with pytest.raises(Invalid, match=r"Missing value in column 'a' at row 2"):
        csv(f"a,y\n1,0\n{token},1\n".encode())


def test_non_numeric_feature_names_column_and_row():
    with pytest.raises(Invalid) as info:
        csv(b"a,b,y\n1,2,3\n4,five,6\n")
    assert "Non-numeric value 'five'" in info.value.message
    assert "'b'" in info.value.message and "row 2" in info.value.message


def test_infinite_feature_is_rejected():
    with pytest.raises(Invalid, match="not a finite number"):
        csv(b"a,y\ninf,1\n")


def test_missing_and_non_numeric_targets():
    with pytest.raises(Invalid, match=r"Missing value in column 'kind' at row 2"):
        csv(b"a,kind\n1,cat\n2,\n")
    with pytest.raises(Invalid, match=r"Non-numeric value 'cat' in column 'y' at row 1"):
        csv(b"a,y\n1,cat\n", target_encoding="none")


def test_ragged_row_and_bad_columns():
    with pytest.raises(Invalid, match="Row 2 .* has 2 values but the header has 3"):
        csv(b"a,b,y\n1,2,3\n4,5\n")
    with pytest.raises(Invalid) as info:
        csv(PETS, target="colour")
    assert info.value.field == "target" and "weight" in info.value.message
    with pytest.raises(Invalid) as info:
        csv(PETS, features=["weight", "age"], target="kind")
    assert info.value.field == "features" and "'age'" in info.value.message
    with pytest.raises(Invalid) as info:
        csv(PETS, features=["weight", "kind"], target="kind")
    assert info.value.field == "features"
    with pytest.raises(Invalid, match="unique"):
        csv(b"a,a,y\n1,2,3\n")


def test_single_class_and_header_only():
    with pytest.raises(Invalid, match="single class") as info:
        csv(b"a,y\n1,cat\n2,cat\n")
    assert info.value.field == "target"
    with pytest.raises(Invalid, match="no data rows"):
        csv(b"a,b,y\n")


@pytest.mark.parametrize("data", [b"", b"  \n\n", b"\x00\x01\x02garbage\xff\xfe" * 50,
                                  bytes(range(256)) * 4, b"\x89PNG\r\n\x1a\n\xff\xd8\xff\xe0"])
def test_empty_and_binary_files_are_rejected_naming_file(data):
    with pytest.raises(Invalid) as info:
        csv(data)
    assert info.value.field == "file"


def test_too_many_rows():
    rows = b"a,y\n" + b"1,2\n" * 11
    with pytest.raises(Invalid, match="more than 10 data rows") as info:
        parse_upload(rows, filename="r.csv", options=UploadOptions(), max_bytes=10_000, max_rows=10)
    assert info.value.field == "file"
    assert len(parse_upload(rows[:-4], filename="r.csv", options=UploadOptions(), max_bytes=10_000,
                            max_rows=10).arrays) == 10


def test_too_many_bytes():
    with pytest.raises(TooLarge) as info:
        parse_upload(PETS, filename="p.csv", options=UploadOptions(), max_bytes=len(PETS) - 1, max_rows=100)
    assert info.value.status_code == 413 and info.value.field == "file"


def test_bad_options():
    with pytest.raises(Invalid) as info:
        UploadOptions(target_encoding="ordinal")
    assert info.value.field == "target_encoding"
    with pytest.raises(Invalid) as info:
        parse_feature_list('["a", 3]')
    assert info.value.field == "features"
    assert parse_feature_list(" a, b ,") == ["a", "b"] and parse_feature_list("  ") is None


# --- NPZ ------------------------------------------------------------------------------------------

def test_npz_integer_labels_are_classification():
    x = np.arange(12, dtype=np.float64).reshape(6, 2)
    parsed = npz(x=x, y=np.array([3, 5, 3, 5, 7, 7]))
    data = parsed.arrays
    assert data.task == "classification" and data.class_names == ["3", "5", "7"]
    assert data.y.tolist() == [0, 1, 0, 1, 2, 2] and data.x.dtype == np.float32
    assert data.feature_names == ["x0", "x1"] and parsed.encoding["format"] == "npz"


def test_npz_float_target_is_regression_and_images_keep_their_shape():
    data = npz(x=np.random.default_rng(0).random((5, 4, 4, 1)), y=np.linspace(0, 1, 5)).arrays
    assert data.task == "regression" and data.x.shape == (5, 4, 4, 1) and data.feature_names == []


def test_npz_string_labels_onehot_and_names():
    options = UploadOptions(target_encoding="onehot", name="My set")
    data = npz(options=options, compressed=True, x=np.ones((3, 2)), y=np.array(["b", "a", "b"]),
               feature_names=np.array(["u", "v"])).arrays
    assert data.label_encoding == "onehot" and data.y.tolist() == [[0, 1], [1, 0], [0, 1]]
    assert data.feature_names == ["u", "v"] and data.name == "My set"


def test_npz_onehot_rows_are_detected():
    y = np.eye(3)[[0, 2, 1, 2]]
    data = npz(x=np.zeros((4, 1)), y=y).arrays
    assert data.label_encoding == "onehot" and data.n_classes == 3
    np.testing.assert_array_equal(data.y, y)
    assert npz(x=np.zeros((4, 1)), y=y, options=UploadOptions(target_encoding="integer")).arrays.y.tolist() == \
        [0, 2, 1, 2]


def test_npz_object_arrays_are_never_unpickled():
    with pytest.raises(Invalid, match="Python objects") as info:
        npz(x=np.array([{"a": 1}, None], dtype=object), y=np.array([1, 2]))
    assert info.value.field == "file"


def test_npz_missing_key_and_mismatched_rows():
    with pytest.raises(Invalid, match="'y' is missing"):
        npz(x=np.zeros((2, 2)), labels=np.zeros(2))
    with pytest.raises(Invalid, match="same number of rows"):
        npz(x=np.zeros((3, 2)), y=np.zeros(2))
    with pytest.raises(Invalid, match="numeric"):
        npz(x=np.array(["a", "b"]), y=np.zeros(2))
    with pytest.raises(Invalid, match="infinite value at row 2"):
        npz(x=np.array([[1.0], [np.nan]]), y=np.zeros(2))


def test_truncated_and_fake_npz_are_rejected():
    buffer = io.BytesIO()
    np.savez(buffer, x=np.zeros((50, 4)), y=np.zeros(50))
    whole = buffer.getvalue()
    for data in (whole[: len(whole) // 2], b"PK\x03\x04" + b"\x00" * 100, b"not a zip at all"):
        with pytest.raises(Invalid) as info:
            parse_upload(data, filename="d.npz", options=UploadOptions(), **LIMITS)
        assert info.value.field == "file"


def test_single_npy_is_not_an_npz():
    buffer = io.BytesIO()
    np.save(buffer, np.zeros(3))
    with pytest.raises(Invalid, match="not a single .npy"):
        parse_upload(buffer.getvalue(), filename="d.npz", options=UploadOptions(), **LIMITS)


def test_npz_rows_and_inflation_are_bounded():
    with pytest.raises(Invalid, match="NC_MAX_ROWS"):
        npz(x=np.zeros((1_001, 1)), y=np.zeros(1_001))
    buffer = io.BytesIO()
    np.savez_compressed(buffer, x=np.zeros((200_000, 10)), y=np.zeros(200_000))
    assert len(buffer.getvalue()) < 100_000  # zeros compress ~1000x
    with pytest.raises(TooLarge):
        parse_upload(buffer.getvalue(), filename="bomb.npz", options=UploadOptions(), max_bytes=100_000,
                     max_rows=10**6)


def test_zip_content_is_detected_without_an_extension():
    buffer = io.BytesIO()
    np.savez(buffer, x=np.zeros((2, 2)), y=np.array([0.5, 1.5]))
    assert zipfile.is_zipfile(io.BytesIO(buffer.getvalue()))
    parsed = parse_upload(buffer.getvalue(), filename="upload", options=UploadOptions(), **LIMITS)
    assert parsed.encoding["format"] == "npz"


def _forged_npz(shape: tuple[int, ...], payload: bytes, descr: str = "<f8") -> bytes:
    """An .npz whose x.npy header declares ``shape`` but stores only ``payload``."""
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": descr, "fortran_order": False, "shape": shape})
    real_y = io.BytesIO()
    np.save(real_y, np.zeros(2))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("x.npy", b"\x93NUMPY\x01\x00" + header.getvalue()[8:] + payload)
        archive.writestr("y.npy", real_y.getvalue())
    return buffer.getvalue()


def test_npz_with_a_forged_shape_is_refused_without_allocating():
    data = _forged_npz((2**40,), b"\x00" * 64)
    with pytest.raises(Invalid, match="declares shape"):
        parse_upload(data, filename="d.npz", options=UploadOptions(), **LIMITS)


def test_npz_whose_values_would_not_fit_the_budget_is_too_large():
    # 2 MB of uint8 (compressed to almost nothing) would become 16 MB of float64.
    data = _forged_npz((LIMITS["max_bytes"] * 2,), b"\x00" * (LIMITS["max_bytes"] * 2), descr="|u1")
    with pytest.raises(TooLarge, match="too many to process"):
        parse_upload(data, filename="d.npz", options=UploadOptions(), max_bytes=LIMITS["max_bytes"],
                     max_rows=LIMITS["max_rows"])
