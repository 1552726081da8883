"""Prints, for each rule of the catalogue, the tests that carry its ID (`@pytest.mark.rule("ID")`).

Usage: python scripts/rules_coverage.py [path/to/rules.md]   (`make rules`)
"""

import contextlib
import io
import re
import sys
from collections import defaultdict
from pathlib import Path

import pytest

RULE_LINE = re.compile(r"^- ([A-Z]+-\d+) ")


class RuleCollector:
    """A pytest plugin that records the rule markers of every collected test."""

    def __init__(self):
        self.tests: dict[str, list[str]] = defaultdict(list)
        self.unknown: dict[str, list[str]] = defaultdict(list)

    def pytest_collection_modifyitems(self, items):
        for item in items:
            name = item.originalname if hasattr(item, "originalname") else item.name
            for marker in item.iter_markers(name="rule"):
                for rule_id in marker.args:
                    if name not in self.tests[rule_id]:
                        self.tests[rule_id].append(name)


def rule_ids(catalogue: Path) -> list[str]:
    return [match.group(1) for line in catalogue.read_text(encoding="utf-8").splitlines()
            if (match := RULE_LINE.match(line))]


def main() -> int:
    catalogue = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/spec/rules.md")
    collector = RuleCollector()
    collected = io.StringIO()
    with contextlib.redirect_stdout(collected):
        code = pytest.main(["--collect-only", "-q", "-p", "no:cacheprovider", "tests"], plugins=[collector])
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED):
        print(collected.getvalue())
        return int(code)
    ids = rule_ids(catalogue)
    for rule_id in ids:
        tests = collector.tests.get(rule_id)
        print(f"{rule_id} covered {', '.join(tests)}" if tests else f"{rule_id} missing")
    for rule_id in sorted(set(collector.tests) - set(ids)):
        print(f"{rule_id} is not in the catalogue but is marked on {', '.join(collector.tests[rule_id])}")
    covered = sum(1 for rule_id in ids if rule_id in collector.tests)
    print(f"rules covered: {covered}/{len(ids)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
