"""The development tools' own data: a broken list of equivalent mutants would make
tools/mutation.py fail only at the end of a run that took hours."""

import importlib.util
import re
from pathlib import Path

TOOL = Path(__file__).resolve().parent.parent / "tools" / "mutation.py"


def test_every_listed_equivalent_mutant_names_a_core_mutant_and_says_why():
    spec = importlib.util.spec_from_file_location("mutation", TOOL)
    assert spec and spec.loader
    mutation = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mutation)
    listed = mutation.equivalent()  # mutant -> why; raises if the file does not parse
    assert len(listed) > 100
    name = re.compile(rf"debtcli\.({'|'.join(mutation.CORE)})\.x(ǁ\w+ǁ|_)\w+__mutmut_\d+")
    for mutant, why in listed.items():
        assert name.fullmatch(mutant) and len(why) > 20, mutant
