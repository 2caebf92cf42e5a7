"""The access layer's contract (docs/architecture.md, docs/authorization.md):

- policy modules import each other in one direction only, with no cycle, and never inside a function (an
  import inside a function that only hides a cycle is a design bug);
- nothing outside a ``policies.py`` decides on a role: no comparison with a user's role, no role constant
  in a condition, in Python or in a template. The data generators, which create users of each role, are the
  only other modules that name roles.
"""

import ast
import re
from pathlib import Path

import waardewerk

ROOT = Path(waardewerk.__file__).parent
POLICY = re.compile(r"^waardewerk\.(\w+)\.policies$")
# The allowed direction: a policy module may import only policy modules of an earlier layer.
LAYERS = [
    {"accounts"},
    {"clients", "audit", "knowledge"},
    {"trajectories"},
    {"instruments", "portal", "reports", "intervision", "insights", "agenda", "matching"},
    {"development", "quality"},
    {"workday", "transfer", "privacy"},
    {"api"},
]
# Modules that create users of every role (demo and generated data) rather than decide what a role may do.
DATA_GENERATORS = ("sampledata/", "core/demo.py", "core/generate.py", "core/management/commands/demo.py")


def _layer(app: str) -> int:
    return next(i for i, apps in enumerate(LAYERS) if app in apps)


def _policy_modules() -> dict[str, Path]:
    return {path.parent.name: path for path in ROOT.glob("*/policies.py")}


def _imports(tree) -> list[tuple[str, bool]]:
    """(imported module, inside a function) for every import of a waardewerk module."""
    found = []

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            nested = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            if isinstance(child, ast.ImportFrom) and child.module and child.module.startswith("waardewerk"):
                for alias in child.names:
                    found.append((child.module, in_function))
                    found.append((f"{child.module}.{alias.name}", in_function))
            elif isinstance(child, ast.Import):
                found.extend((alias.name, in_function) for alias in child.names)
            visit(child, nested)

    visit(tree, False)
    return found


def test_every_policy_module_has_a_layer():
    assert set(_policy_modules()) <= set().union(*LAYERS), sorted(
        set(_policy_modules()) - set().union(*LAYERS)
    )


def test_policy_modules_import_each_other_in_one_direction_without_cycles():
    edges = {}
    for app, path in _policy_modules().items():
        imports = _imports(ast.parse(path.read_text()))
        inside = sorted(
            {module for module, in_function in imports if in_function and module.startswith("waardewerk")}
        )
        assert not inside, f"{app}/policies.py imports inside a function: {inside}"
        targets = {m.group(1) for module, _ in imports if (m := POLICY.match(module)) and m.group(1) != app}
        edges[app] = targets
        for target in targets:
            assert _layer(target) < _layer(app), f"{app}/policies.py imports {target}/policies.py (wrong way)"
    # The layers make cycles impossible; check it directly as well.
    seen, stack = set(), set()

    def walk(app):
        assert app not in stack, f"policy import cycle through {app}"
        if app in seen:
            return
        stack.add(app)
        for target in edges.get(app, ()):
            walk(target)
        stack.remove(app)
        seen.add(app)

    for app in edges:
        walk(app)


class _RoleChecks(ast.NodeVisitor):
    """Comparisons with ``<x>.role`` or a ``Role.<MEMBER>``, and the role sets of the policies."""

    def __init__(self):
        self.found = []

    def visit_Compare(self, node):
        for operand in (node.left, *node.comparators):
            for sub in ast.walk(operand):
                is_role_attribute = isinstance(sub, ast.Attribute) and sub.attr == "role"
                is_role_member = (
                    isinstance(sub, ast.Attribute)
                    and isinstance(sub.value, ast.Name)
                    and sub.value.id == "Role"
                )
                if is_role_attribute or is_role_member:
                    self.found.append(node.lineno)
        self.generic_visit(node)

    def visit_Name(self, node):
        if node.id == "CASE_ROLES":
            self.found.append(node.lineno)


def _allowed(relative: str) -> bool:
    return (
        relative.endswith("policies.py")
        or "/tests/" in f"/{relative}"
        or "/migrations/" in relative
        or relative == "accounts/models.py"
        or relative.startswith(DATA_GENERATORS)
    )


def test_no_role_checks_outside_the_policies():
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if _allowed(relative):
            continue
        checker = _RoleChecks()
        checker.visit(ast.parse(path.read_text()))
        offenders += [f"{relative}:{line}" for line in checker.found]
    role_in_template = re.compile(r"\.role\s*(==|!=|in\b)|\bis_(team_lead|functional_admin|professional)\b")
    for path in sorted(ROOT.rglob("templates/**/*.html")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if role_in_template.search(line):
                offenders.append(f"{path.relative_to(ROOT).as_posix()}:{number}")
    assert not offenders, f"role checks outside policies.py: {offenders}"


def test_the_contract_finds_a_role_check():
    """The checker is not blind: it finds the kinds of check it forbids."""
    checker = _RoleChecks()
    checker.visit(ast.parse("if user.role == Role.TEAM_LEAD: pass\nok = actor.role in CASE_ROLES"))
    assert len(checker.found) >= 2
