"""Regressions in the argument handling of ``aipower.table``."""

from __future__ import annotations

import aipower


def test_regression_table_engine_given_an_array_warned_elementwise() -> None:
    # a numpy array as engine= made `engine not in (...)` compare element by element (a
    # FutureWarning from numpy in the lowest-versions leg) before failing
    import warnings

    import numpy as np
    import pytest

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="engine must be"):
            aipower.table("metrics", engine=np.array(["pandas", "x"]))  # type: ignore[arg-type]
