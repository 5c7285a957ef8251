#!/usr/bin/env python3
"""Architecture check of the workspace (issue 20): crates depend only on crates of a lower
layer, the server's search side does not use the indexer (no `woo_indexer` outside
server/src/admin/, and `cargo tree` of woo-server without its `admin` feature names no
indexer, PDF, spreadsheet, XML or zip crate), the module import graph of every
crate has no circle and no import from a lower layer up to a higher one, and no production
function is over 100 lines.

Usage: .ci/architecture.py [--verbose]   (exit 1 on a finding)

Modules are files (`a/b.rs` and `a/b/mod.rs` are module `a::b`); an import is any
`crate::x::...` or `super::...` path in non-test code. A module's own submodules (`a::b`
importing `a::b::c`) and a submodule reaching its parent's items (`a::b::c` -> `a::b`)
are the tree, not edges between rooms; everything else is an edge between the two
top-level-most distinct modules.
"""
import os
import re
import subprocess
import sys

MAX_FUNCTION_LINES = 100
CRATES = ["core/src", "indexer/src", "server/src", "src", "fixtures/src"]

# Crate layers: a crate may depend on crates of a lower layer only.
CRATE_LAYERS = {
    "woo-core": 0,
    "woo-indexer": 1,
    "woo-fixtures": 2,
    "woo-server": 2,
    "woo-search": 3,
}
CRATE_MANIFESTS = {
    "woo-core": "core/Cargo.toml",
    "woo-indexer": "indexer/Cargo.toml",
    "woo-fixtures": "fixtures/Cargo.toml",
    "woo-server": "server/Cargo.toml",
    "woo-search": "Cargo.toml",
}
# Generators (the fixture builder's hand-drawn documents, the scale corpus) are not production
# code: their long functions are lists of drawing steps. Circles are checked there too.
NOT_PRODUCTION = ["fixtures/src"]
# In the server, only the admin side (upload, bulk, retraction, jobs) runs the indexer.
INDEXER_USERS_IN_SERVER = "server/src/admin/"
# Crates the read-only search side (woo-server without its `admin` feature) must not link:
# the indexer and the readers of PDFs, spreadsheets, XML and zip archives it brings.
NOT_ON_SEARCH_SIDE = ["woo-indexer", "lopdf", "calamine", "quick-xml", "flate2", "zip"]


def strip_strings_and_comments(text):
    """Blank out string/char literals and comments, keeping line structure."""
    out = []
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            depth = 1
            j = i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth += 1
                    j += 2
                elif text.startswith("*/", j):
                    depth -= 1
                    j += 2
                else:
                    j += 1
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == "r" and re.match(r'r#*"', text[i:i + 10]) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            m = re.match(r'r(#*)"', text[i:])
            hashes = m.group(1)
            end = text.find('"' + hashes, i + len(m.group(0)))
            end = n if end < 0 else end + 1 + len(hashes)
            out.append(re.sub(r"[^\n]", " ", text[i:end]))
            i = end
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(re.sub(r"[^\n]", " ", text[i:j + 1]))
            i = j + 1
        elif c == "'":
            m = re.match(r"'(\\.|\\u\{[0-9a-fA-F]+\}|\\x[0-9a-fA-F]{2}|[^\\'])'", text[i:])
            if m:
                out.append(" " * len(m.group(0)))
                i += len(m.group(0))
            else:
                out.append(c)
                i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def remove_test_modules(code):
    """Blank out `#[cfg(test)]` items (test modules and test-only functions)."""
    lines = code.split("\n")
    result = list(lines)
    i = 0
    while i < len(lines):
        if re.match(r"\s*#\[cfg\(test\)\]", lines[i]):
            # find the start of the item's block and blank until its matching brace
            depth = 0
            started = False
            j = i
            while j < len(lines):
                for ch in lines[j]:
                    if ch == "{":
                        depth += 1
                        started = True
                    elif ch == "}":
                        depth -= 1
                if not started and lines[j].rstrip().endswith(";"):
                    break
                if started and depth == 0:
                    break
                j += 1
            for k in range(i, min(j + 1, len(lines))):
                result[k] = ""
            i = j + 1
        else:
            i += 1
    return "\n".join(result)


def module_of(root, path):
    rel = os.path.relpath(path, root)[:-3].split(os.sep)
    if rel[-1] in ("mod", "lib", "main"):
        rel = rel[:-1]
    return rel


def long_functions(code, path):
    found = []
    lines = code.split("\n")
    for index, line in enumerate(lines):
        m = re.match(r"\s*(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?fn\s+(\w+)", line)
        if not m:
            continue
        depth = 0
        started = False
        for end in range(index, len(lines)):
            for ch in lines[end]:
                if ch == "{":
                    depth += 1
                    started = True
                elif ch == "}":
                    depth -= 1
            if not started and lines[end].rstrip().endswith(";"):
                break
            if started and depth <= 0:
                length = end - index + 1
                if length > MAX_FUNCTION_LINES:
                    found.append((path, index + 1, m.group(6), length))
                break
    return found


def is_test_file(path):
    name = os.path.basename(path)
    return name == "tests.rs" or "/tests/" in path


def find_cycles(edges):
    nodes = sorted(set(edges) | {b for targets in edges.values() for b in targets})
    index = {}
    low = {}
    stack = []
    on_stack = set()
    components = []
    counter = [0]

    def strongconnect(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                strongconnect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    sys.setrecursionlimit(10000)
    for v in nodes:
        if v not in index:
            strongconnect(v)
    return components


def crate_graph(root):
    edges = {}
    functions = []
    for directory, _, files in os.walk(root):
        for name in sorted(files):
            if not name.endswith(".rs"):
                continue
            path = os.path.join(directory, name)
            with open(path, encoding="utf-8") as handle:
                code = strip_strings_and_comments(handle.read())
            if is_test_file(path):
                continue
            code = remove_test_modules(code)
            functions.extend(long_functions(code, path))
            module = module_of(root, path)
            for m in re.finditer(r"\b(crate|super)((?:::\w+)+)", code):
                parts = m.group(2).strip(":").split("::")
                if m.group(1) == "crate":
                    target = parts
                else:
                    base = module[:-1]
                    while parts and parts[0] == "super":
                        base = base[:-1]
                        parts = parts[1:]
                    target = base + parts
                # the deepest module prefix that exists is decided by the caller; keep
                # the path and cut it to the modules known later
                edges.setdefault(tuple(module), set()).add(tuple(target))
    return edges, functions


def crate_dependency_findings(repo):
    """Each woo-* dependency (normal, not dev) must be of a lower layer."""
    findings = []
    for crate, manifest in CRATE_MANIFESTS.items():
        path = os.path.join(repo, manifest)
        if not os.path.isfile(path):
            continue
        section = None
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                header = re.match(r"\s*\[([^\]]+)\]", line)
                if header:
                    section = header.group(1).strip()
                    continue
                if section != "dependencies":
                    continue
                dependency = re.match(r"\s*(woo-[a-z-]+)\s*=", line)
                if not dependency:
                    continue
                name = dependency.group(1)
                if CRATE_LAYERS.get(name, 99) >= CRATE_LAYERS[crate]:
                    findings.append(f"{manifest}: {crate} depends on {name}, not a lower layer")
    return findings


def indexer_use_findings(repo):
    """Server files outside the admin folder that name woo_indexer."""
    findings = []
    root = os.path.join(repo, "server/src")
    for directory, _, files in os.walk(root):
        for name in sorted(files):
            path = os.path.join(directory, name)
            relative = os.path.relpath(path, repo)
            if not name.endswith(".rs") or relative.startswith(INDEXER_USERS_IN_SERVER):
                continue
            with open(path, encoding="utf-8") as handle:
                code = remove_test_modules(strip_strings_and_comments(handle.read()))
            if re.search(r"\bwoo_indexer\b", code):
                findings.append(f"{relative}: the search side uses woo_indexer (only {INDEXER_USERS_IN_SERVER} may)")
    return findings


def search_side_dependency_findings(repo):
    """Crates of NOT_ON_SEARCH_SIDE that `cargo tree` finds under woo-server without `admin`."""
    command = ["cargo", "tree", "--offline", "-p", "woo-server", "--no-default-features",
               "-e", "normal", "--prefix", "none"]
    try:
        output = subprocess.run(command, cwd=repo, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        return [f"cannot list the search side's dependencies ({' '.join(command)}): {error}"]
    linked = {line.split()[0] for line in output.splitlines() if line.strip()}
    return [
        f"server/Cargo.toml: woo-server without the admin feature links {name}"
        for name in NOT_ON_SEARCH_SIDE
        if name in linked
    ]


def main():
    verbose = "--verbose" in sys.argv
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    failures = 0
    findings = crate_dependency_findings(repo) + indexer_use_findings(repo)
    findings += search_side_dependency_findings(repo)
    for finding in findings:
        print(finding)
        failures += 1
    for crate in CRATES:
        root = os.path.join(repo, crate)
        if not os.path.isdir(root):
            continue
        raw_edges, functions = crate_graph(root)
        modules = set(raw_edges)
        for directory, _, files in os.walk(root):
            for name in files:
                if name.endswith(".rs"):
                    modules.add(tuple(module_of(root, os.path.join(directory, name))))
        edges = {}
        for source, targets in raw_edges.items():
            for target in targets:
                # cut the path to the longest existing module
                cut = ()
                for length in range(len(target), 0, -1):
                    if tuple(target[:length]) in modules:
                        cut = tuple(target[:length])
                        break
                if not cut:
                    continue
                # the module tree itself: parent <-> child is not an edge between rooms
                if cut[: len(source)] == source or source[: len(cut)] == cut:
                    continue
                edges.setdefault(source, set()).add(cut)
        cycles = find_cycles({"::".join(k) or "lib": {"::".join(t) or "lib" for t in v} for k, v in edges.items()})
        for cycle in cycles:
            print(f"{crate}: import circle: {' <-> '.join(cycle)}")
            failures += 1
        if crate in NOT_PRODUCTION:
            functions = []
        for path, line, name, length in functions:
            print(f"{os.path.relpath(path, repo)}:{line}: fn {name} is {length} lines (max {MAX_FUNCTION_LINES})")
            failures += 1
        if verbose:
            for source in sorted(edges):
                print(f"{crate}: {'::'.join(source) or 'lib'} -> {', '.join(sorted('::'.join(t) for t in edges[source]))}")
    if failures:
        print(f"architecture: {failures} finding(s)")
        return 1
    print("architecture: no import circle, no function over 100 lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
