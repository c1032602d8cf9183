#!/usr/bin/env python3
"""API conformance: hand-written Swift and Kotlin call only what the generated bindings have.

Neither a Swift toolchain nor the Android SDK runs on the Linux CI, so a renamed or removed
FFI function would first show up on a phone. This script closes that gap: it reads the
generated Swift (`TalusCore.swift`) and Kotlin (`talus_ffi.kt`) bindings into a model of the
public API (types, initializers, methods, properties, enum cases, sealed subclasses), then
walks the hand-written shell code with tree-sitter, infers the type of receivers where it
can (annotations, parameters, `let x = engine.today(...)`, `for item in plan.items`,
closures over arrays, `use { }`), and checks every reference into the API:

- Swift: a method, static function, initializer or enum case exists with exactly those
  argument labels (parameters with defaults may be left out); a property exists; an implicit
  member (`.tick`, `.painReported(level: 3)`) is a case of the enum the context expects
  (argument of a known call, `switch` over a known value, a typed declaration, `==`).
- Kotlin: a method, companion function, constructor or sealed subclass exists and takes
  that many arguments (named arguments must name a parameter); a property, enum entry or
  nested class exists; `import app.talus.core.X` names something generated.

Receivers whose type cannot be inferred are skipped, never guessed; the summary line says
how many references were checked. `--self-test` runs the checker on fixtures with
deliberately wrong calls (each marked `// expect: <text>`) and on the real bindings with
each used API member removed, and fails unless every mistake is caught.

Usage:
  conformance.py --swift-api FILE --kotlin-api FILE [--swift DIR...] [--kotlin DIR...]
  conformance.py --self-test
"""
from __future__ import annotations

import argparse
import copy
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import tree_sitter
import tree_sitter_kotlin
import tree_sitter_swift

SWIFT = tree_sitter.Language(tree_sitter_swift.language())
KOTLIN = tree_sitter.Language(tree_sitter_kotlin.language())

# Types are tuples: ("N", name) a value of a named type, ("T", name) the type itself
# (`Side` in `Side.left`), ("O", t) optional, ("A", t) array/list; None is unknown.


def named(name):
    return ("N", name) if name else None


def unwrap(t):
    while t and t[0] == "O":
        t = t[1]
    return t


@dataclass
class Param:
    label: str  # Swift: argument label ("_" for none); Kotlin: parameter name
    type: tuple | None
    has_default: bool = False


@dataclass
class Callable:
    params: list
    ret: tuple | None = None
    static: bool = False
    throws: bool = False

    def describe(self, swift=True):
        if swift:
            return "(" + "".join(f"{p.label}:" for p in self.params) + ")"
        return "(" + ", ".join(p.label for p in self.params) + ")"


@dataclass
class TypeModel:
    name: str
    kind: str = "type"
    methods: dict = field(default_factory=dict)  # name -> [Callable]
    props: dict = field(default_factory=dict)  # name -> type
    static_props: dict = field(default_factory=dict)
    cases: dict = field(default_factory=dict)  # Swift enum case -> Callable (payload) | None
    inits: list = field(default_factory=list)  # [Callable]
    nested: dict = field(default_factory=dict)  # Kotlin nested class/object name -> TypeModel
    supers: list = field(default_factory=list)

    def add_method(self, name, c):
        self.methods.setdefault(name, []).append(c)


@dataclass
class Api:
    types: dict = field(default_factory=dict)
    funcs: dict = field(default_factory=dict)  # free functions: name -> [Callable]

    def type(self, name):
        t = self.types.get(name)
        if t is None:
            t = self.types[name] = TypeModel(name)
        return t


class UseLog(dict):
    """Which files reference each API member (the removal test re-checks only those)."""
    path = None

    def add(self, key):
        self.setdefault(key, set()).add(self.path)


@dataclass
class Finding:
    path: str
    line: int
    message: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.message}"


def text(src, node):
    return src[node.start_byte:node.end_byte].decode("utf-8")


def strip_ticks(s):
    return s.strip("`")


# ----------------------------------------------------------------------------------------
# Swift: model of the generated API and of hand-written declarations
# ----------------------------------------------------------------------------------------

SWIFT_TYPE_NODES = {"user_type", "optional_type", "array_type", "dictionary_type", "function_type",
                    "tuple_type", "implicitly_unwrapped_type", "opaque_type", "existential_type"}


def strip_swift_version_directives(src: str) -> str:
    """uniffi wraps attributes in `#if swift(>=5.8)`; the grammar misreads those lines."""
    out, stack = [], []
    for line in src.splitlines():
        s = line.strip()
        if s.startswith("#if"):
            version = s.startswith("#if swift(") or s.startswith("#if compiler(")
            stack.append(version)
            if version:
                continue
        elif s.startswith("#endif") and stack:
            if stack.pop():
                continue
        out.append(line)
    return "\n".join(out) + "\n"


def swift_type(src, node):
    if node is None:
        return None
    if node.type == "user_type":
        ids = [c for c in node.children if c.type == "type_identifier"]
        if not ids:
            return None
        name = text(src, ids[-1])
        if name == "Array":
            args = [c for c in node.children if c.type == "type_arguments"]
            if args:
                inner = [c for c in args[0].named_children if c.type in SWIFT_TYPE_NODES]
                return ("A", swift_type(src, inner[0])) if inner else None
        return ("N", name)
    if node.type in ("optional_type", "implicitly_unwrapped_type"):
        inner = [c for c in node.named_children if c.type in SWIFT_TYPE_NODES]
        return ("O", swift_type(src, inner[0])) if inner else None
    if node.type == "array_type":
        inner = [c for c in node.named_children if c.type in SWIFT_TYPE_NODES]
        return ("A", swift_type(src, inner[0])) if inner else None
    return None


def swift_modifiers(src, node):
    for c in node.children:
        if c.type == "modifiers":
            return text(src, c)
    return ""


def swift_params(src, node):
    params = []
    for c in node.children:
        if c.type != "parameter":
            continue
        ext = c.child_by_field_name("external_name")
        names = [x for x in c.children if x.type == "simple_identifier"]
        label = text(src, ext) if ext is not None else (text(src, names[0]) if names else "_")
        types = [x for x in c.named_children if x.type in SWIFT_TYPE_NODES]
        has_default = any(x.type == "=" for x in c.children)
        params.append(Param(strip_ticks(label), swift_type(src, types[-1]) if types else None, has_default))
    # A default value sits after the parameter node in some grammar versions.
    kids = node.children
    for i, c in enumerate(kids):
        if c.type == "=" and i > 0 and kids[i - 1].type == "parameter":
            idx = sum(1 for k in kids[:i] if k.type == "parameter") - 1
            params[idx].has_default = True
    return params


def swift_return(src, node):
    kids = node.children
    for i, c in enumerate(kids):
        if c.type == "->":
            for d in kids[i + 1:]:
                if d.type in SWIFT_TYPE_NODES:
                    return swift_type(src, d)
                if d.is_named:
                    return None
    return None


def swift_throws(node):
    return any(c.type in ("throws", "rethrows") for c in node.children)


def swift_func_name(src, node):
    n = node.child_by_field_name("name")
    return strip_ticks(text(src, n)) if n is not None else None


def swift_enum_cases(src, entry):
    """(name, Callable|None) for each case in one `case a, b(x: T)` entry."""
    out = []
    kids = entry.children
    i = 0
    while i < len(kids):
        c = kids[i]
        if c.type == "simple_identifier":
            payload = None
            if i + 1 < len(kids) and kids[i + 1].type == "enum_type_parameters":
                payload = Callable(swift_case_params(src, kids[i + 1]))
                i += 1
            out.append((strip_ticks(text(src, c)), payload))
        i += 1
    return out


def swift_case_params(src, node):
    params, label = [], "_"
    for c in node.children:
        if c.type == "simple_identifier":
            label = text(src, c)
        elif c.type in SWIFT_TYPE_NODES:
            params.append(Param(label, swift_type(src, c)))
            label = "_"
        elif c.type == "=":
            if params:
                params[-1].has_default = True
    return params


def swift_collect(src, root, api: Api, public_only: bool, ext_into: Api | None = None):
    """Adds the declarations under `root` to `api`. Extensions of types that `ext_into`
    knows (the generated API) are recorded there too, so hand-written extensions count."""

    def visible(node):
        if not public_only:
            return True
        m = swift_modifiers(src, node)
        return "public" in m or "open" in m

    def members(tm: TypeModel, body, in_protocol):
        for m in body.named_children:
            t = m.type
            if t in ("function_declaration", "protocol_function_declaration"):
                if not (in_protocol or visible(m)):
                    continue
                name = swift_func_name(src, m)
                mods = swift_modifiers(src, m)
                static = "static" in mods or "class " in mods
                if name:
                    tm.add_method(name, Callable(swift_params(src, m), swift_return(src, m), static,
                                                 swift_throws(m)))
            elif t == "init_declaration":
                if in_protocol or visible(m) or tm.kind == "struct":
                    tm.inits.append(Callable(swift_params(src, m), named(tm.name)))
            elif t in ("property_declaration", "protocol_property_declaration"):
                if not (in_protocol or visible(m)):
                    continue
                mods = swift_modifiers(src, m)
                for p in m.children:
                    if p.type == "pattern":
                        ident = p.child_by_field_name("bound_identifier")
                        name = text(src, ident if ident is not None else p)
                        ann = [a for a in m.children if a.type == "type_annotation"]
                        ty = None
                        if ann:
                            tys = [x for x in ann[0].named_children if x.type in SWIFT_TYPE_NODES]
                            ty = swift_type(src, tys[0]) if tys else None
                        (tm.static_props if "static" in mods else tm.props)[strip_ticks(name)] = ty
            elif t == "enum_entry":
                for name, payload in swift_enum_cases(src, m):
                    tm.cases[name] = payload
            elif t in ("class_declaration", "protocol_declaration"):
                declare(m)

    def declare(node):
        kind_node = node.child_by_field_name("declaration_kind")
        kind = text(src, kind_node) if kind_node is not None else "protocol"
        name_node = node.child_by_field_name("name")
        if name_node is None:
            return
        name = text(src, name_node)
        if kind != "extension" and not visible(node):
            return
        if kind == "extension" and public_only and name not in declared:
            return  # the bindings extend Foundation types for their own use
        body = node.child_by_field_name("body")
        targets = [api.type(name)]
        if kind == "extension" and ext_into is not None and name in ext_into.types:
            targets.append(ext_into.types[name])
        for tm in targets:
            if kind != "extension":
                tm.kind = kind
                if kind == "struct" and not public_only:
                    pass
            for c in node.children:
                if c.type == "inheritance_specifier":
                    tm.supers.append(text(src, c))
            if body is not None:
                members(tm, body, kind == "protocol")

    declared = set()
    for node in root.named_children:
        if node.type in ("class_declaration", "protocol_declaration"):
            kn = node.child_by_field_name("declaration_kind")
            nn = node.child_by_field_name("name")
            if nn is not None and (kn is None or text(src, kn) != "extension"):
                declared.add(text(src, nn))
    for node in root.named_children:
        if node.type in ("class_declaration", "protocol_declaration"):
            declare(node)
        elif node.type == "function_declaration" and visible(node):
            name = swift_func_name(src, node)
            if name:
                api.funcs.setdefault(name, []).append(
                    Callable(swift_params(src, node), swift_return(src, node), False, swift_throws(node)))

    # Structs get a memberwise initializer when they declare none (uniffi always declares one).
    return api


_PARSED = {}


def parse_swift(path: Path):
    if path not in _PARSED:
        src = strip_swift_version_directives(path.read_text(encoding="utf-8")).encode("utf-8")
        _PARSED[path] = (src, tree_sitter.Parser(SWIFT).parse(src))
    return _PARSED[path]


def parse_kotlin(path: Path):
    if path not in _PARSED:
        src = path.read_bytes()
        _PARSED[path] = (src, tree_sitter.Parser(KOTLIN).parse(src))
    return _PARSED[path]


def load_swift_api(path: Path) -> Api:
    src, tree = parse_swift(path)
    return swift_collect(src, tree.root_node, Api(), public_only=True)


# Members every value has (Equatable/Hashable/Error conformances, key paths).
SWIFT_UNIVERSAL = {"hashValue", "hash", "self", "localizedDescription", "errorDescription",
                   "debugDescription", "customMirror"}
# Words tree-sitter-swift can read as a call (`defer { }`).
SWIFT_KEYWORD_CALLS = {"defer", "repeat", "do", "catch", "guard", "switch", "if", "while", "return"}
# Where an expression ends: a `try` outside these does not cover a call inside them.
SWIFT_EXPRESSION_BOUNDARIES = {"statements", "function_body", "lambda_literal", "class_body",
                               "computed_property", "source_file", "if_statement", "guard_statement",
                               "switch_entry", "for_statement", "while_statement"}
# SwiftUI and Charts views whose content closure receives each element of their data.
SWIFT_DATA_VIEWS = {"ForEach", "List", "Chart", "Table"}
SWIFT_ELEMENT_CLOSURES = {"map", "compactMap", "flatMap", "filter", "forEach", "first", "last",
                          "contains", "allSatisfy", "sorted", "min", "max", "firstIndex",
                          "lastIndex", "reduce", "partition", "drop", "prefix", "sort",
                          "removeAll", "count"}


PLATFORM_TYPES = Path(__file__).resolve().parent / "swift-platform-types.txt"


def load_platform_types(path=PLATFORM_TYPES):
    if not path.exists():
        return set()
    return {line.split("#")[0].strip() for line in path.read_text(encoding="utf-8").splitlines()} - {""}


class SwiftChecker:
    def __init__(self, api: Api, files: list, platform_types=None):
        self.platform_types = load_platform_types() if platform_types is None else platform_types
        self.api = api
        self.files = []
        self.local = Api()
        for path in files:
            src, tree = parse_swift(path)
            self.files.append((path, src, tree))
            swift_collect(src, tree.root_node, self.local, public_only=False, ext_into=None)
        # Hand-written extensions of generated types add members the checker must accept.
        self.ext = {name: tm for name, tm in self.local.types.items() if name in api.types}
        # Types the shell itself declares (an extension declares nothing).
        # Types the shell itself declares, nested ones included. Extending a generated type
        # declares nothing; extending any other type means it exists on the platform.
        self.declared = set()

        def collect(src, node):
            if node.type in ("class_declaration", "protocol_declaration", "typealias_declaration"):
                kind = node.child_by_field_name("declaration_kind")
                name = node.child_by_field_name("name")
                if name is not None:
                    is_ext = kind is not None and text(src, kind) == "extension"
                    if not is_ext or text(src, name) not in api.types:
                        self.declared.add(text(src, name))
            for c in node.named_children:
                collect(src, c)

        for _, src, tree in self.files:
            collect(src, tree.root_node)
        self.findings: list[Finding] = []
        self.checked = 0
        self.used = UseLog()  # (type or "", member) -> files, for the self-test
        self.memo = {}

    # -- helpers ------------------------------------------------------------------------
    def is_api_type(self, name):
        return name in self.api.types and name not in self.local_only_types()

    def local_only_types(self):
        return {n for n in self.local.types if n not in self.api.types}

    def report(self, path, node, msg):
        self.findings.append(Finding(str(path), node.start_point[0] + 1, msg))

    def type_model(self, name):
        """(generated model, hand-written model) for a type name."""
        return self.api.types.get(name), self.local.types.get(name)

    # -- type inference -----------------------------------------------------------------
    def typeof(self, src, node):
        key = (id(src), node.start_byte, node.end_byte, node.type)
        if key in self.memo:
            return self.memo[key]
        self.memo[key] = None
        t = self._typeof(src, node)
        self.memo[key] = t
        return t

    def _typeof(self, src, node):
        ty = node.type
        if ty == "simple_identifier":
            name = text(src, node)
            if name in self.api.types or name in self.local.types:
                if self.resolve_var(src, node, name) is None:
                    return ("T", name)
            return self.resolve_var(src, node, name)
        if ty == "self_expression":
            owner = self.enclosing_type(src, node)
            return named(owner)
        if ty == "try_expression":
            inner = node.child_by_field_name("expr")
            op = [c for c in node.children if c.type == "try_operator"]
            t = self.typeof(src, inner) if inner is not None else None
            if op and text(src, op[0]).endswith("?") and t is not None:
                return ("O", t)
            return t
        if ty == "await_expression":
            inner = node.child_by_field_name("expr") or (node.named_children[-1] if node.named_children else None)
            return self.typeof(src, inner) if inner is not None else None
        if ty == "tuple_expression" and len(node.named_children) == 1:
            return self.typeof(src, node.named_children[0])
        if ty == "postfix_expression":
            target = node.child_by_field_name("target")
            if target is not None and text(src, node).endswith("!"):
                return unwrap(self.typeof(src, target))
            return None
        if ty == "as_expression":
            tys = [c for c in node.named_children if c.type in SWIFT_TYPE_NODES]
            if tys:
                t = swift_type(src, tys[-1])
                return ("O", t) if "as?" in text(src, node) else t
            return None
        if ty == "navigation_expression":
            target = node.child_by_field_name("target")
            name = self.nav_name(src, node)
            if target is None or name is None:
                return None
            return self.member_type(self.typeof(src, target), name)
        if ty == "call_expression":
            return self.call_type(src, node)
        return None

    def nav_name(self, src, nav):
        suffix = nav.child_by_field_name("suffix")
        if suffix is None:
            return None
        inner = suffix.child_by_field_name("suffix")
        return strip_ticks(text(src, inner)) if inner is not None else None

    def member_type(self, t, name):
        if t is None:
            return None
        if t[0] == "T":
            gen, loc = self.type_model(t[1])
            for tm in (gen, loc):
                if tm is None:
                    continue
                if name in tm.cases:
                    return ("N", t[1])
                if name in tm.static_props:
                    return tm.static_props[name]
            return None
        base = unwrap(t)
        if base is None:
            return None
        if base[0] == "A":
            if name in ("first", "last"):
                return ("O", base[1])
            return None
        if base[0] == "N":
            gen, loc = self.type_model(base[1])
            for tm in (gen, loc, self.ext.get(base[1])):
                if tm is not None and name in tm.props:
                    return tm.props[name]
        return None

    def call_type(self, src, call):
        callee = call.named_children[0] if call.named_children else None
        if callee is None:
            return None
        if callee.type == "simple_identifier":
            name = text(src, callee)
            if name in self.local.types or name in self.api.types:
                if self.resolve_var(src, callee, name) is None:
                    return ("N", name)
            for fs in (self.local.funcs.get(name), self.api.funcs.get(name)):
                if fs:
                    return fs[0].ret
            owner = self.enclosing_type(src, call)
            if owner:
                for tm in (self.local.types.get(owner),):
                    if tm and name in tm.methods:
                        return tm.methods[name][0].ret
            return None
        if callee.type == "navigation_expression":
            target = callee.child_by_field_name("target")
            name = self.nav_name(src, callee)
            if target is None or name is None:
                return None
            rt = self.typeof(src, target)
            if rt is None:
                return None
            if rt[0] == "T":
                gen, loc = self.type_model(rt[1])
                for tm in (gen, loc):
                    if tm is None:
                        continue
                    if name in tm.cases:
                        return ("N", rt[1])
                    if name in tm.methods:
                        return tm.methods[name][0].ret
                return None
            base = unwrap(rt)
            if base is None:
                return None
            if base[0] == "A":
                if name in ("filter", "sorted", "reversed", "suffix", "prefix", "dropFirst", "dropLast"):
                    return base
                if name in ("first", "last", "randomElement", "min", "max"):
                    return ("O", base[1])
                return None
            if base[0] == "N":
                gen, loc = self.type_model(base[1])
                for tm in (gen, loc, self.ext.get(base[1])):
                    if tm is not None and name in tm.methods:
                        return tm.methods[name][0].ret
        return None

    def enclosing_type(self, src, node):
        n = node.parent
        while n is not None:
            if n.type == "class_declaration":
                nn = n.child_by_field_name("name")
                if nn is not None:
                    return text(src, nn)
            n = n.parent
        return None

    def declares(self, src, node, name):
        """Whether `name` is a variable, parameter or property visible at `node`."""
        child, n = node, node.parent
        while n is not None:
            if self.decl_in_scope(src, n, child, name) is not False:
                return True
            child, n = n, n.parent
        return False

    def resolve_var(self, src, node, name):
        """Walks outwards from `node` to the declaration of `name`; returns its type."""
        child, n = node, node.parent
        while n is not None:
            t = self.decl_in_scope(src, n, child, name)
            if t is not False:
                return t
            child, n = n, n.parent
        return None

    def decl_in_scope(self, src, scope, child, name):
        """Type of `name` declared directly in `scope` before `child`; False if not declared."""
        st = scope.type
        if st in ("function_declaration", "init_declaration"):
            for p in swift_params(src, scope):
                pass
            for c in scope.children:
                if c.type == "parameter":
                    names = [x for x in c.children if x.type == "simple_identifier"]
                    local = names[-1] if names else None
                    if local is not None and text(src, local) == name:
                        tys = [x for x in c.named_children if x.type in SWIFT_TYPE_NODES]
                        return swift_type(src, tys[-1]) if tys else None
            return False
        if st == "lambda_literal":
            return self.closure_param(src, scope, name)
        if st in ("statements", "source_file", "computed_property", "function_body"):
            found = False
            result = None
            for c in scope.named_children:
                if c.start_byte >= child.start_byte and st != "source_file":
                    break
                if c.type == "property_declaration":
                    t = self.property_decl_type(src, c, name)
                    if t is not False:
                        found, result = True, t
                elif c.type == "guard_statement":
                    t = self.condition_binding(src, c, name)
                    if t is not False:
                        found, result = True, t
            return result if found else False
        if st in ("if_statement", "while_statement"):
            return self.condition_binding(src, scope, name, before=child)
        if st == "for_statement":
            item = scope.child_by_field_name("item")
            if item is not None and text(src, item) == name and child != scope.child_by_field_name("collection"):
                coll = scope.child_by_field_name("collection")
                ct = unwrap(self.typeof(src, coll)) if coll is not None else None
                return ct[1] if ct and ct[0] == "A" else None
            return False
        if st == "switch_entry":
            return self.case_binding(src, scope, name)
        if st in ("class_body", "enum_class_body"):
            owner = scope.parent
            nn = owner.child_by_field_name("name") if owner is not None else None
            if nn is not None:
                tname = text(src, nn)
                for tm in (self.local.types.get(tname), self.api.types.get(tname)):
                    if tm is not None and name in tm.props:
                        return tm.props[name]
                    if tm is not None and name in tm.static_props:
                        return tm.static_props[name]
            return False
        return False

    def property_decl_type(self, src, decl, name):
        pats = [c for c in decl.children if c.type == "pattern"]
        if not pats:
            return False
        p = pats[0]
        ident = p.child_by_field_name("bound_identifier")
        if text(src, ident if ident is not None else p) != name:
            return False
        ann = [a for a in decl.children if a.type == "type_annotation"]
        if ann:
            tys = [x for x in ann[0].named_children if x.type in SWIFT_TYPE_NODES]
            return swift_type(src, tys[0]) if tys else None
        value = decl.child_by_field_name("value")
        return self.typeof(src, value) if value is not None else None

    def condition_binding(self, src, stmt, name, before=None):
        """`if let x = e`, `guard let x = e`: x has e's type without the optional."""
        kids = stmt.children
        for i, c in enumerate(kids):
            if before is not None and c.start_byte >= before.start_byte:
                break
            if c.type == "simple_identifier" and stmt.field_name_for_child(i) == "bound_identifier" \
                    and text(src, c) == name:
                for d in kids[i + 1:]:
                    if d.is_named and d.type not in ("type_annotation",) and d.type != "=":
                        return unwrap(self.typeof(src, d))
                return None
        return False

    def case_binding(self, src, entry, name):
        """`case let .playVideo(assetId, _, ...)` binds payload values by position."""
        subject = entry.parent.child_by_field_name("expr") if entry.parent is not None else None
        st = unwrap(self.typeof(src, subject)) if subject is not None else None
        if not st or st[0] != "N":
            return False
        gen, _ = self.type_model(st[1])
        for pat in entry.children:
            if pat.type != "switch_pattern":
                continue
            p = pat.named_children[0] if pat.named_children else None
            if p is None:
                continue
            ids = [c for c in p.children if c.type == "simple_identifier"]
            subs = [c for c in p.children if c.type == "pattern"]
            if not ids or gen is None:
                continue
            case = gen.cases.get(text(src, ids[0]))
            for i, sp in enumerate(subs):
                if text(src, sp).split()[-1] == name:
                    if case is not None and i < len(case.params):
                        return case.params[i].type
                    return None
        return False

    def closure_param(self, src, closure, name):
        params = []
        for c in closure.children:
            if c.type == "lambda_function_type":
                for p in c.named_children:
                    if p.type == "lambda_function_type_parameters":
                        for lp in p.named_children:
                            n = lp.child_by_field_name("name")
                            params.append(text(src, n) if n is not None else text(src, lp))
        names = params or ["$0"]
        if name not in names:
            return False
        if names.index(name) != 0:
            return None  # declared here; only the first parameter's type is inferred
        # The closure's element type comes from the array method it is passed to.
        n = closure.parent
        while n is not None and n.type in ("call_suffix", "value_argument", "value_arguments",
                                            "annotated_lambda"):
            n = n.parent
        if n is None or n.type != "call_expression":
            return None
        callee = n.named_children[0]
        if callee.type == "simple_identifier" and text(src, callee) in SWIFT_DATA_VIEWS:
            # ForEach(plan.items, id: \.drillId) { item in … }: the element of the data.
            args = self.args(src, n)
            data = args[0].child_by_field_name("value") if args else None
            dt = unwrap(self.typeof(src, data)) if data is not None else None
            return dt[1] if dt and dt[0] == "A" else None
        if callee.type != "navigation_expression":
            return None
        method = self.nav_name(src, callee)
        rt = unwrap(self.typeof(src, callee.child_by_field_name("target")))
        if rt and rt[0] == "A" and method in SWIFT_ELEMENT_CLOSURES:
            return rt[1]
        return None

    # -- checks -------------------------------------------------------------------------
    def run(self, only=None):
        generics = set()
        for _, src, tree in self.files:
            self.collect_generics(src, tree.root_node, generics)
        for path, src, tree in self.files:
            if only is None or path in only:
                self.used.path = path
                self.walk(path, src, tree.root_node)
                self.check_type_names(path, src, tree.root_node, generics)
        return self.findings

    def collect_generics(self, src, node, out):
        if node.type == "type_parameter":
            for c in node.children:
                if c.type == "type_identifier":
                    out.add(text(src, c))
                    break
        elif node.type == "typealias_declaration":
            n = node.child_by_field_name("name")
            if n is not None:
                out.add(text(src, n))
        for c in node.children:
            self.collect_generics(src, c, out)

    def type_names(self, src, node, out):
        """Type names the code uses: annotations, and `X(...)` / `X.y` on a capitalised name."""
        if node.type == "attribute":
            return  # @MainActor, @discardableResult, @testable: attributes, not type uses
        if node.type == "user_type":
            ids = [c for c in node.children if c.type == "type_identifier"]
            if ids and text(src, ids[0])[:1].isupper():
                out.append((text(src, ids[0]), ids[0]))
        elif node.type == "simple_identifier":
            name = text(src, node)
            parent = node.parent
            head = parent is not None and (
                (parent.type == "call_expression" and parent.named_children[0] == node)
                or (parent.type == "navigation_expression" and parent.child_by_field_name("target") == node))
            if head and name[:1].isupper() and self.resolve_var(src, node, name) is None:
                out.append((name, node))
        for c in node.children:
            self.type_names(src, c, out)

    def check_type_names(self, path, src, root, generics):
        """A type that is neither generated, declared in the shell, a generic parameter nor a
        known platform type is reported: it is how a renamed or removed record shows."""
        if self.platform_types is False:
            return
        uses = []
        self.type_names(src, root, uses)
        for name, node in uses:
            if name in self.api.types:
                self.used.add((name, "<type>"))
                self.checked += 1
                continue
            if name in self.declared or name in generics or name in self.platform_types or name == "Self":
                continue
            self.checked += 1
            self.report(path, node, f"{name}: no such type in the generated API, in the shell, or in "
                                    f"tests/conformance/swift-platform-types.txt")

    def walk(self, path, src, node):
        t = node.type
        if t == "call_expression":
            self.check_call(path, src, node)
        elif t == "navigation_expression":
            parent = node.parent
            if not (parent is not None and parent.type == "call_expression" and parent.named_children[0] == node):
                self.check_member(path, src, node)
        elif t == "prefix_expression":
            self.check_implicit(path, src, node)
        elif t == "switch_statement":
            self.check_switch(path, src, node)
        elif t == "equality_expression":
            self.check_string_vs_enum(path, src, node)
        for c in node.children:
            self.walk(path, src, c)

    def fresh(self, api):
        """A checker over the same files and shell declarations with another API model."""
        other = copy.copy(self)
        other.api = api
        other.ext = {name: tm for name, tm in self.local.types.items() if name in api.types}
        other.findings, other.checked, other.used, other.memo = [], 0, UseLog(), {}
        return other

    def is_api_enum(self, t):
        base = unwrap(t)
        return bool(base and base[0] == "N" and base[1] in self.api.types
                    and self.api.types[base[1]].kind == "enum" and base[1] not in self.local_only_types())

    def check_string_vs_enum(self, path, src, node):
        """`frame.step == "work"` after `step` became an enum (or `.work` while it is a String)."""
        sides = [c for c in node.named_children]
        if len(sides) != 2:
            return
        for lit, other in ((sides[0], sides[1]), (sides[1], sides[0])):
            if lit.type == "line_string_literal":
                t = self.typeof(src, other)
                if self.is_api_enum(t):
                    self.checked += 1
                    self.report(path, node, f"{text(src, lit)}: {unwrap(t)[1]} is an enum in the generated API; "
                                            f"compare with a case, not a string")
            elif lit.type == "prefix_expression" and text(src, lit).startswith("."):
                t = unwrap(self.typeof(src, other))
                if t == ("N", "String") and self.from_api(src, other):
                    self.checked += 1
                    self.report(path, node, f"{text(src, lit)}: {text(src, other)} is a String in the generated "
                                            f"API, not an enum")

    def from_api(self, src, node):
        """The expression reads a property of a generated type (so its type is the API's)."""
        if node.type != "navigation_expression":
            return False
        target = node.child_by_field_name("target")
        t = unwrap(self.typeof(src, target)) if target is not None else None
        return bool(t and t[0] == "N" and t[1] in self.api.types)

    def labels(self, src, call):
        labels, trailing = [], 0
        for suffix in call.children:
            if suffix.type != "call_suffix":
                continue
            for part in suffix.named_children:
                if part.type == "value_arguments":
                    for arg in part.named_children:
                        if arg.type != "value_argument":
                            continue
                        lab = arg.child_by_field_name("name")
                        labels.append(strip_ticks(text(src, lab).rstrip(":")) if lab is not None else "_")
                elif part.type in ("lambda_literal", "annotated_lambda"):
                    trailing += 1
        return labels, trailing

    def args(self, src, call):
        out = []
        for suffix in call.children:
            if suffix.type == "call_suffix":
                for part in suffix.named_children:
                    if part.type == "value_arguments":
                        out += [a for a in part.named_children if a.type == "value_argument"]
        return out

    @staticmethod
    def covered_by_try(node):
        """Whether a `try` in the same expression covers `node` (as Swift requires)."""
        n = node.parent
        while n is not None and n.type not in SWIFT_EXPRESSION_BOUNDARIES:
            if n.type == "try_expression":
                return True
            n = n.parent
        return False

    @staticmethod
    def match(params, labels, trailing=0):
        """Parameter index for each label, or None when the labels fit no reading."""
        out, i = [], 0
        for p in params:
            if i < len(labels) and labels[i] == p.label:
                out.append(p)
                i += 1
            elif p.has_default:
                continue
            elif i >= len(labels) and trailing > 0 and p.label == "_":
                trailing -= 1
            else:
                return None
        if i != len(labels) or trailing:
            return None
        return out

    def check_overloads(self, path, src, call, what, overloads):
        labels, trailing = self.labels(src, call)
        self.checked += 1
        for c in overloads:
            matched = self.match(c.params, labels, trailing)
            if matched is not None:
                for p, arg in zip(matched, self.args(src, call)):
                    self.check_expected(path, src, arg, p.type)
                if c.throws and not self.covered_by_try(call):
                    self.report(path, call, f"{what}: throws in the generated API; the call needs `try`")
                return
        want = " or ".join(c.describe() for c in overloads) or "(none)"
        got = "(" + "".join(f"{x}:" for x in labels) + ")"
        self.report(path, call, f"{what}{got}: no such labels; the generated API has {what}{want}")

    def check_call(self, path, src, call):
        callee = call.named_children[0] if call.named_children else None
        if callee is None:
            return
        if callee.type == "simple_identifier":
            name = text(src, callee)
            if self.resolve_var(src, callee, name) is not None:
                return
            if name in self.api.types and name not in self.local.types:
                tm = self.api.types[name]
                self.used.add((name, "init"))
                inits = list(tm.inits)
                self.check_overloads(path, src, call, name, inits)
            elif name in self.api.funcs and name not in self.local.funcs \
                    and not self.enclosing_has_method(src, call, name):
                self.used.add(("", name))
                self.check_overloads(path, src, call, name, self.api.funcs[name])
            else:
                known = (name in self.local.funcs or name in self.platform_types or name[:1].isupper()
                         or name in SWIFT_KEYWORD_CALLS or self.declares(src, callee, name)
                         or self.enclosing_has_method(src, call, name) or self.in_local_type(name))
                if not known:
                    self.checked += 1
                    self.report(path, callee, f"{name}(...): no such function in the generated API, in the "
                                              f"shell, or in tests/conformance/swift-platform-types.txt")
                    return
                self.check_local_call_args(path, src, call, name)
            return
        if callee.type == "prefix_expression":
            return  # implicit member call; checked by check_implicit with the expected type
        if callee.type != "navigation_expression":
            return
        target = callee.child_by_field_name("target")
        name = self.nav_name(src, callee)
        if target is None or name is None:
            return
        rt = self.typeof(src, target)
        if rt is None:
            return
        if rt[0] == "T":
            if any(c.type == "?" for c in callee.children):
                return  # `Side?.some(.left)`: Optional's own case
            tname = rt[1]
            tm = self.api.types.get(tname)
            if tm is None or tname in self.local.types and tname not in self.ext:
                return
            ext = self.ext.get(tname)
            if ext and (name in ext.methods or name in ext.cases):
                return
            self.used.add((tname, name))
            if name in tm.cases:
                payload = tm.cases[name]
                self.check_overloads(path, src, call, f"{tname}.{name}", [payload] if payload else [])
                return
            statics = [c for c in tm.methods.get(name, []) if c.static]
            if name == "init":
                statics = tm.inits
            if not statics:
                self.checked += 1
                self.report(path, callee, f"{tname}.{name}: no such static function or case in the generated API")
                return
            self.check_overloads(path, src, call, f"{tname}.{name}", statics)
            return
        base = unwrap(rt)
        if not base or base[0] != "N" or base[1] not in self.api.types:
            return
        tname = base[1]
        if tname in self.local.types and tname not in self.ext:
            return
        tm = self.api.types[tname]
        ext = self.ext.get(tname)
        if ext and name in ext.methods:
            return
        if name in SWIFT_UNIVERSAL:
            return
        self.used.add((tname, name))
        methods = [c for c in tm.methods.get(name, []) if not c.static]
        if not methods:
            self.checked += 1
            if name in tm.props:
                return  # calling a closure-typed property
            self.report(path, callee, f"{tname}.{name}(...): no such method in the generated API")
            return
        self.check_overloads(path, src, call, f"{tname}.{name}", methods)

    def in_local_type(self, name):
        """A method or static of some shell type (called unqualified from inside it)."""
        return any(name in tm.methods or name in tm.props or name in tm.static_props
                   for tm in self.local.types.values())

    def enclosing_has_method(self, src, node, name):
        owner = self.enclosing_type(src, node)
        tm = self.local.types.get(owner) if owner else None
        return tm is not None and name in tm.methods

    def check_local_call_args(self, path, src, call, name):
        """Arguments passed to a hand-written function whose parameter is a generated enum."""
        overloads = list(self.local.funcs.get(name, []))
        owner = self.enclosing_type(src, call)
        if owner and owner in self.local.types:
            overloads += self.local.types[owner].methods.get(name, [])
        if name in self.local.types:
            overloads += self.local.types[name].inits
        labels, trailing = self.labels(src, call)
        for c in overloads:
            matched = self.match(c.params, labels, trailing)
            if matched is not None:
                for p, arg in zip(matched, self.args(src, call)):
                    self.check_expected(path, src, arg, p.type)
                return

    def check_member(self, path, src, nav):
        target = nav.child_by_field_name("target")
        name = self.nav_name(src, nav)
        if target is None or name is None:
            return
        rt = self.typeof(src, target)
        if rt is None:
            return
        if rt[0] == "T":
            if any(c.type == "?" for c in nav.children):
                return  # `Side?.none`: a member of Optional<Side>, not of Side
            tname = rt[1]
            tm = self.api.types.get(tname)
            if tm is None or (tname in self.local.types and tname not in self.ext):
                return
            ext = self.ext.get(tname)
            if ext and (name in ext.static_props or name in ext.methods or name in ext.cases):
                return
            if name in ("self", "init"):
                return
            self.used.add((tname, name))
            self.checked += 1
            if name in tm.cases and tm.cases[name] is not None:
                return  # a case constructor used as a function value
            if name not in tm.cases and name not in tm.static_props and name not in tm.methods:
                self.report(path, nav, f"{tname}.{name}: no such case or static member in the generated API")
            return
        base = unwrap(rt)
        if not base or base[0] != "N" or base[1] not in self.api.types:
            return
        tname = base[1]
        if tname in self.local.types and tname not in self.ext:
            return
        tm = self.api.types[tname]
        ext = self.ext.get(tname)
        if (ext and (name in ext.props or name in ext.methods)) or name in SWIFT_UNIVERSAL:
            return
        self.used.add((tname, name))
        self.checked += 1
        if name not in tm.props and name not in tm.methods:
            self.report(path, nav, f"{tname}.{name}: no such property in the generated API")

    # Implicit members (`.tick`) are checked where the expected type is known.
    def check_expected(self, path, src, arg, expected):
        value = arg.child_by_field_name("value") if arg.type == "value_argument" else arg
        if value is None:
            return
        exp = unwrap(expected)
        if exp and exp[0] == "A":
            return
        self.implicit_against(path, src, value, exp)

    def implicit_against(self, path, src, value, exp):
        if not exp or exp[0] != "N" or exp[1] not in self.api.types:
            return
        tname = exp[1]
        if value.type == "prefix_expression" and text(src, value).startswith("."):
            target = value.child_by_field_name("target")
            if target is None or target.type != "simple_identifier":
                return
            self.implicit_case(path, src, value, tname, strip_ticks(text(src, target)), None)
        elif value.type == "call_expression":
            callee = value.named_children[0]
            if callee.type == "prefix_expression" and text(src, callee).startswith("."):
                target = callee.child_by_field_name("target")
                if target is not None:
                    self.implicit_case(path, src, callee, tname, strip_ticks(text(src, target)), value)

    def implicit_case(self, path, src, node, tname, name, call):
        tm = self.api.types[tname]
        ext = self.ext.get(tname)
        if ext and (name in ext.static_props or name in ext.methods):
            return
        self.used.add((tname, name))
        self.checked += 1
        if name in tm.cases:
            payload = tm.cases[name]
            if call is not None:
                self.checked -= 1
                self.check_overloads(path, src, call, f"{tname}.{name}", [payload] if payload else [])
            elif payload is not None and payload.params and not all(p.has_default for p in payload.params):
                self.report(path, node, f".{name}: case {tname}.{name} takes arguments {payload.describe()}")
            return
        statics = [c for c in tm.methods.get(name, []) if c.static]
        if name in tm.static_props or statics:
            return
        if name == "init" and call is not None:
            self.checked -= 1
            self.check_overloads(path, src, call, tname, tm.inits)
            return
        self.report(path, node, f".{name}: {tname} has no case '{name}' in the generated API")

    def check_implicit(self, path, src, node):
        """`.x` in a typed declaration, an assignment, a comparison or a `return`."""
        if not text(src, node).startswith("."):
            return
        parent = node.parent
        target = node
        if parent is not None and parent.type == "call_expression" and parent.named_children[0] == node:
            target, parent = parent, parent.parent
        if parent is None:
            return
        exp = None
        if parent.type == "property_declaration":
            ann = [a for a in parent.children if a.type == "type_annotation"]
            if ann:
                tys = [x for x in ann[0].named_children if x.type in SWIFT_TYPE_NODES]
                exp = swift_type(src, tys[0]) if tys else None
        elif parent.type in ("equality_expression", "assignment"):
            other = [c for c in parent.named_children if c != target and c.type not in ("directly_assignable_expression",)]
            lhs = [c for c in parent.named_children if c.type == "directly_assignable_expression"]
            side = lhs[0].named_children[0] if lhs and lhs[0].named_children else (other[0] if other else None)
            if side is not None:
                exp = self.typeof(src, side)
        if exp is not None:
            self.implicit_against(path, src, target, unwrap(exp))

    def check_switch(self, path, src, sw):
        subject = sw.child_by_field_name("expr")
        st = unwrap(self.typeof(src, subject)) if subject is not None else None
        if st == ("N", "String") and self.from_api(src, subject):
            for entry in sw.named_children:
                for pat in entry.named_children if entry.type == "switch_entry" else []:
                    if pat.type == "switch_pattern" and text(src, pat).lstrip("let ").startswith("."):
                        self.checked += 1
                        self.report(path, pat, f"case {text(src, pat)}: {text(src, subject)} is a String in "
                                               f"the generated API, not an enum")
            return
        if not st or st[0] != "N" or st[1] not in self.api.types:
            return
        tname = st[1]
        tm = self.api.types[tname]
        if not tm.cases:
            return
        for entry in sw.named_children:
            if entry.type != "switch_entry":
                continue
            for pat in entry.named_children:
                if pat.type != "switch_pattern":
                    continue
                p = pat.named_children[0] if pat.named_children else None
                if p is None:
                    continue
                kids = p.children
                if any(c.type == "line_string_literal" for c in kids):
                    self.checked += 1
                    self.report(path, p, f"case {text(src, p)}: {tname} is an enum in the generated API; "
                                         f"match its cases, not strings")
                    continue
                dots = [i for i, c in enumerate(kids) if c.type == "."]
                if not dots or dots[0] + 1 >= len(kids) or kids[dots[0] + 1].type != "simple_identifier":
                    continue
                name_node = kids[dots[0] + 1]
                name = strip_ticks(text(src, name_node))
                bound = [c for c in kids if c.type == "pattern"]
                self.used.add((tname, name))
                self.checked += 1
                if name not in tm.cases:
                    self.report(path, name_node, f"case .{name}: {tname} has no case '{name}' in the generated API")
                    continue
                payload = tm.cases[name]
                arity = len(payload.params) if payload else 0
                has_parens = any(c.type == "(" for c in kids)
                if has_parens and len(bound) != arity:
                    self.report(path, name_node, f"case .{name}: binds {len(bound)} values, {tname}.{name} has {arity}")


# ----------------------------------------------------------------------------------------
# Kotlin: the generated API is read with a small declaration scanner (tree-sitter-kotlin
# misreads parts of uniffi's output); hand-written Kotlin is walked with tree-sitter.
# ----------------------------------------------------------------------------------------

KT_TOKEN = re.compile(r'`[^`\n]+`|[A-Za-z_][A-Za-z0-9_]*|\d[\w.]*|->|::|\?\.|\S')
KT_DECL_STOP = {"}", "fun", "class", "object", "interface", "val", "var", "override", "open",
                "companion", "@", "private", "internal", "public", "protected", "abstract",
                "data", "sealed", "enum", "init", "constructor", "inner", "annotation", "lateinit"}


def kt_strip(src: str) -> str:
    """Removes comments and string/char literal contents, keeping the structure."""
    out, i, n = [], 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith("/*", i):
            j = src.find("*/", i + 2)
            i = n if j < 0 else j + 2
            out.append(" ")
        elif src.startswith("//", i):
            j = src.find("\n", i)
            i = n if j < 0 else j
        elif src.startswith('"""', i):
            j = src.find('"""', i + 3)
            i = n if j < 0 else j + 3
            out.append('""')
        elif c == '"':
            j = i + 1
            while j < n and src[j] != '"':
                j += 2 if src[j] == "\\" else 1
            i = j + 1
            out.append('""')
        elif c == "'":
            j = i + 1
            while j < n and src[j] != "'":
                j += 2 if src[j] == "\\" else 1
            i = j + 1
            out.append("' '")
        else:
            out.append(c)
            i += 1
    return "".join(out)


class KtScanner:
    def __init__(self, src: str):
        self.toks = KT_TOKEN.findall(kt_strip(src))
        self.i = 0

    def peek(self, k=0):
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else None

    def skip_balanced(self, open_, close):
        depth = 0
        while self.i < len(self.toks):
            t = self.toks[self.i]
            self.i += 1
            if t == open_:
                depth += 1
            elif t == close:
                depth -= 1
                if depth == 0:
                    return

    def type_(self):
        """Reads a type; returns (type tuple, text)."""
        parts = []
        if self.peek() == "(":  # function type
            self.skip_balanced("(", ")")
            if self.peek() == "->":
                self.i += 1
                self.type_()
            return None
        while self.peek() and re.match(r"[A-Za-z_`]", self.peek()):
            parts.append(strip_ticks(self.peek()))
            self.i += 1
            if self.peek() == "." and self.peek(1) and re.match(r"[A-Za-z_`]", self.peek(1)):
                self.i += 1
                continue
            break
        args = []
        if self.peek() == "<":
            depth = 0
            start = self.i
            while self.i < len(self.toks):
                t = self.toks[self.i]
                self.i += 1
                if t == "<":
                    depth += 1
                elif t == ">":
                    depth -= 1
                    if depth == 0:
                        break
            inner = [t for t in self.toks[start + 1:self.i - 1] if re.match(r"[A-Za-z_`]", t)]
            args = [strip_ticks(x) for x in inner]
        opt = False
        if self.peek() == "?":
            opt = True
            self.i += 1
        if not parts:
            return None
        name = parts[-1]
        if name in ("List", "MutableList", "Array", "Set", "Collection", "Iterable") and args:
            t = ("A", ("N", args[-1]))
        else:
            t = ("N", name)
        return ("O", t) if opt else t

    def params(self):
        """Reads `( ... )`; returns [Param] with val/var flags in .type slot kept separately."""
        params, props = [], []
        assert self.peek() == "("
        self.i += 1
        while self.peek() not in (None, ")"):
            is_prop, is_hidden = False, False
            while self.peek() in ("@",):
                self.i += 1
                self.i += 1  # annotation name
                if self.peek() == "(":
                    self.skip_balanced("(", ")")
            while self.peek() in ("val", "var", "vararg", "private", "public", "internal", "override",
                                  "protected", "open", "crossinline", "noinline"):
                if self.peek() in ("val", "var"):
                    is_prop = True
                if self.peek() in ("private", "internal", "protected"):
                    is_hidden = True
                self.i += 1
            name = strip_ticks(self.peek() or "")
            self.i += 1
            ty = None
            if self.peek() == ":":
                self.i += 1
                ty = self.type_()
            has_default = False
            if self.peek() == "=":
                has_default = True
                depth = 0
                while self.peek() is not None:
                    t = self.peek()
                    if t in "([{":
                        depth += 1
                    elif t in ")]}":
                        if depth == 0:
                            break
                        depth -= 1
                    elif t == "," and depth == 0:
                        break
                    self.i += 1
            p = Param(name, ty, has_default)
            params.append(p)
            if is_prop and not is_hidden:
                props.append(p)
            if self.peek() == ",":
                self.i += 1
        self.i += 1
        return params, props

    def header_has_body(self):
        """After a class header: skips supertypes; True if a `{` body follows."""
        while self.peek() is not None:
            t = self.peek()
            if t == "{":
                return True
            if t in KT_DECL_STOP and t != "init":
                return False
            if t == "(":
                self.skip_balanced("(", ")")
                continue
            self.i += 1
        return False


KT_MODIFIERS = {"private", "internal", "protected", "public", "override", "open", "abstract", "final",
                "data", "sealed", "enum", "inner", "lateinit", "const", "suspend", "inline", "operator",
                "infix", "external", "tailrec", "value", "annotation"}


def load_kotlin_api(path: Path) -> Api:
    api = Api()
    sc = KtScanner(path.read_text(encoding="utf-8"))
    interfaces = {}

    def hidden():
        """True when the declaration keyword at sc.i carries private/internal/protected."""
        j = sc.i - 1
        while j >= 0 and sc.toks[j] in KT_MODIFIERS:
            if sc.toks[j] in ("private", "internal", "protected"):
                return True
            j -= 1
        return False

    def body(owner: TypeModel | None, static: bool, kind: str):
        """Reads declarations until the matching `}` (or end of file at top level)."""
        while sc.peek() is not None:
            t = sc.peek()
            if t == "}":
                sc.i += 1
                return
            if t == "fun":
                is_hidden = hidden()
                sc.i += 1
                if sc.peek() == "interface":  # `fun interface X`
                    continue
                if sc.peek() == "<":
                    sc.type_() if False else sc.skip_balanced("<", ">")
                name = strip_ticks(sc.peek() or "")
                sc.i += 1
                while sc.peek() == ".":  # extension function: Receiver.name
                    sc.i += 1
                    name = strip_ticks(sc.peek() or "")
                    sc.i += 1
                if sc.peek() != "(":
                    continue
                params, _ = sc.params()
                ret = None
                if sc.peek() == ":":
                    sc.i += 1
                    ret = sc.type_()
                c = Callable(params, ret, static)
                if is_hidden:
                    pass
                elif owner is None:
                    api.funcs.setdefault(name, []).append(c)
                else:
                    owner.add_method(name, c)
                if sc.peek() == "{":
                    sc.skip_balanced("{", "}")
                continue
            if t == "constructor" and owner is not None:
                sc.i += 1
                if sc.peek() == "(":
                    params, _ = sc.params()
                    if not (params and params[0].label in ("withHandle", "noHandle")):
                        owner.inits.append(Callable(params, ("N", owner.name)))
                if sc.peek() == ":":
                    sc.i += 1
                    while sc.peek() not in (None, "(", "{"):
                        sc.i += 1
                    if sc.peek() == "(":
                        sc.skip_balanced("(", ")")
                if sc.peek() == "{":
                    sc.skip_balanced("{", "}")
                continue
            if t in ("class", "interface", "object"):
                sc.i += 1
                mods = set(sc.toks[max(0, sc.i - 5):sc.i - 1])
                name = strip_ticks(sc.peek() or "")
                sc.i += 1
                tm = TypeModel(f"{owner.name}.{name}" if owner is not None else name,
                               "enum" if "enum" in mods else t)
                if "data" in mods:
                    tm.kind = "data"
                if owner is not None:
                    owner.nested[name] = tm
                    tm.supers.append(owner.name)
                else:
                    api.types[name] = tm
                if sc.peek() == "<":
                    sc.skip_balanced("<", ">")
                if sc.peek() == "(":
                    params, props = sc.params()
                    tm.inits.append(Callable(params, ("N", tm.name)))
                    for p in props:
                        tm.props[p.label] = p.type
                if sc.peek() == ":":
                    sc.i += 1
                    supers = []
                    while sc.peek() not in (None, "{") and sc.peek() not in KT_DECL_STOP:
                        if sc.peek() == "(":
                            sc.skip_balanced("(", ")")
                            continue
                        supers.append(sc.peek())
                        sc.i += 1
                    tm.supers += [s for s in supers if re.match(r"[A-Za-z_]", s)]
                if t == "interface" and name.endswith("Interface"):
                    interfaces[name[:-len("Interface")]] = tm
                if sc.header_has_body():
                    sc.i += 1
                    if tm.kind == "enum":
                        enum_entries(tm)
                    body(tm, t == "object", t)
                continue
            if t == "companion" and sc.peek(1) == "object":
                sc.i += 2
                if sc.peek() not in ("{", "}", None) and sc.peek() not in KT_DECL_STOP:
                    sc.i += 1
                if sc.peek() == "{":
                    sc.i += 1
                    body(owner, True, "companion")
                continue
            if t in ("val", "var") and owner is not None:
                is_hidden = hidden()
                sc.i += 1
                name = strip_ticks(sc.peek() or "")
                sc.i += 1
                ty = None
                if sc.peek() == ":":
                    sc.i += 1
                    ty = sc.type_()
                if not is_hidden:
                    (owner.static_props if static else owner.props)[name] = ty
                continue
            if t == "{":
                sc.skip_balanced("{", "}")
                continue
            if t == "(":
                sc.skip_balanced("(", ")")
                continue
            sc.i += 1

    def enum_entries(tm):
        while sc.peek() not in (None, ";", "}"):
            t = sc.peek()
            if t == "(":
                sc.skip_balanced("(", ")")
                continue
            if t == "{":
                sc.skip_balanced("{", "}")
                continue
            if re.match(r"[A-Za-z_`]", t) and t != ",":
                tm.static_props[strip_ticks(t)] = ("N", tm.name)
            sc.i += 1
        if sc.peek() == ";":
            sc.i += 1

    body(None, False, "file")
    # Methods declared on `FooInterface` belong to `Foo`.
    for cls, iface in interfaces.items():
        if cls in api.types:
            for name, cs in iface.methods.items():
                for c in cs:
                    if c not in api.types[cls].methods.get(name, []):
                        api.types[cls].add_method(name, c)
    return api


KT_EXTENSION = re.compile(r"\b(?:fun|val|var)\s+(?:<[^>]*>\s*)?([A-Z]\w*(?:\.[A-Z]\w*)*)\??\.(\w+)")
KT_UNIVERSAL = {"copy", "equals", "hashCode", "toString", "close", "use", "destroy", "let", "also",
                "apply", "run", "takeIf", "takeUnless", "javaClass", "name", "ordinal", "message",
                "cause", "stackTrace", "printStackTrace", "localizedMessage", "compareTo", "with",
                "component1", "component2", "component3", "component4", "component5", "uniffiCloneHandle"}
KT_ELEMENT_LAMBDAS = {"map", "mapNotNull", "filter", "filterNot", "forEach", "first", "firstOrNull",
                      "last", "lastOrNull", "any", "all", "none", "count", "sumOf", "maxOf", "minOf",
                      "maxByOrNull", "minByOrNull", "sortedBy", "sortedByDescending", "groupBy",
                      "associateBy", "associate", "partition", "find", "single", "singleOrNull",
                      "flatMap", "forEachIndexed", "mapIndexed", "indexOfFirst", "onEach", "distinctBy",
                      "filterIndexed", "sumOfDouble", "maxBy", "minBy", "takeWhile", "dropWhile"}
KT_SCOPE_LAMBDAS = {"use", "let", "also", "takeIf"}
# Calls whose value is their lambda's last expression.
KT_RESULT_LAMBDAS = {"withContext", "run", "with", "runBlocking", "coroutineScope", "synchronized",
                     "supervisorScope", "withTimeout"}
# Observable holders whose `.value` is their type argument.
KT_HOLDERS = {"StateFlow", "MutableStateFlow", "State", "MutableState", "LiveData", "MutableLiveData"}


@dataclass
class LocalClass:
    name: str
    params: list = field(default_factory=list)
    props: dict = field(default_factory=dict)
    methods: dict = field(default_factory=dict)
    supers: list = field(default_factory=list)


def substitute(t, subst):
    """Replaces type parameters (`S`) by the arguments a supertype was given."""
    if t is None or not subst:
        return t
    if t[0] == "N":
        return subst.get(t[1], t)
    if t[0] in ("O", "A"):
        return (t[0], substitute(t[1], subst))
    if t[0] == "G":
        return ("G", t[1], tuple(substitute(a, subst) for a in t[2]))
    if t[0] == "P":
        return ("P", substitute(t[1], subst), substitute(t[2], subst))
    return t


class KotlinChecker:
    def __init__(self, api: Api, files: list, package="app.talus.core"):
        self.api = api
        self.package = package
        self.files = []
        for path in files:
            src, tree = parse_kotlin(path)
            self.files.append((path, src, tree))
        self.local_types = set()
        self.local_classes = {}  # hand-written classes: name -> LocalClass
        self.ext = set()  # (receiver type, name) of hand-written extension functions/properties
        for _, src, tree in self.files:
            self.collect_local_types(src, tree.root_node)
            self.collect_local_classes(src, tree.root_node)
            for m in KT_EXTENSION.finditer(kt_strip(src.decode("utf-8"))):
                self.ext.add((m.group(1), m.group(2)))
        self.findings: list[Finding] = []
        self.checked = 0
        self.used = UseLog()
        self.memo = {}

    def collect_local_types(self, src, node):
        if node.type in ("class_declaration", "object_declaration"):
            for c in node.children:
                if c.type in ("identifier", "type_identifier", "simple_identifier"):
                    self.local_types.add(text(src, c))
                    break
        for c in node.children:
            self.collect_local_types(src, c)

    def report(self, path, node, msg):
        self.findings.append(Finding(str(path), node.start_point[0] + 1, msg))

    def collect_local_classes(self, src, node):
        """Properties, methods and supertypes of hand-written classes, so that
        `model.state.value.frame` resolves through the shell's own types."""
        if node.type in ("class_declaration", "object_declaration"):
            name = next((text(src, c) for c in node.children if c.type in ("identifier", "type_identifier")), None)
            if name:
                lc = self.local_classes.setdefault(name, LocalClass(name))
                for c in node.children:
                    if c.type == "type_parameters":
                        lc.params = [text(src, tp.named_children[0]) for tp in c.named_children
                                     if tp.type == "type_parameter" and tp.named_children]
                    elif c.type == "primary_constructor":
                        for cp in c.named_children:
                            for p in cp.named_children if cp.type == "class_parameters" else []:
                                if p.type == "class_parameter" and any(x.type in ("val", "var") for x in p.children):
                                    ids = [x for x in p.children if x.type == "identifier"]
                                    if ids:
                                        lc.props[text(src, ids[0])] = self.type_from_node(src, p)
                    elif c.type == "delegation_specifiers":
                        for d in c.named_children:
                            ut = d
                            while ut is not None and ut.type != "user_type":
                                ut = ut.named_children[0] if ut.named_children else None
                            if ut is not None:
                                lc.supers.append(self.type_from_node(src, ut))
                    elif c.type == "class_body":
                        for m in c.named_children:
                            if m.type == "property_declaration":
                                vd = [x for x in m.named_children if x.type == "variable_declaration"]
                                ids = [x for x in vd[0].children if x.type == "identifier"] if vd else []
                                ann = self.type_from_node(src, vd[0]) if vd else None
                                if ids and ann is not None:
                                    lc.props[text(src, ids[0])] = ann
                            elif m.type == "function_declaration":
                                fname = m.child_by_field_name("name")
                                ret = [x for x in m.children if x.type in ("user_type", "nullable_type")]
                                if fname is not None and ret:
                                    lc.methods[text(src, fname)] = self.type_from_node(src, ret[-1])
        for c in node.children:
            self.collect_local_classes(src, c)

    def local_member(self, t, name, methods=False, depth=0):
        """Type of a property (or a method's return) of a hand-written class, through its
        supertypes, with the class's type parameters substituted."""
        base = unwrap(t)
        if not base or base[0] not in ("N", "G") or depth > 8:
            return None
        lc = self.local_classes.get(base[1])
        if lc is None:
            return None
        args = base[2] if base[0] == "G" else ()
        subst = dict(zip(lc.params, args))
        table = lc.methods if methods else lc.props
        if name in table:
            return substitute(table[name], subst)
        for sup in lc.supers:
            found = self.local_member(substitute(sup, subst), name, methods, depth + 1)
            if found is not None:
                return found
        return None

    def api_type(self, name):
        if name in self.local_types:
            return None
        return self.api.types.get(name)

    def lookup_path(self, parts):
        """`EffectInfo.ScheduleTick` -> its TypeModel."""
        tm = self.api_type(parts[0])
        for p in parts[1:]:
            if tm is None:
                return None
            tm = tm.nested.get(p)
        return tm

    def type_from_node(self, src, node):
        if node is None:
            return None
        if node.type == "nullable_type":
            inner = [c for c in node.named_children]
            return ("O", self.type_from_node(src, inner[0])) if inner else None
        if node.type == "user_type":
            ids = [text(src, c) for c in node.children if c.type in ("identifier", "type_identifier", "simple_identifier")]
            args = [c for c in node.children if c.type == "type_arguments"]
            if ids and ids[-1] in ("List", "MutableList", "Collection", "Iterable", "Set") and args:
                inner = [c for c in args[0].named_children]
                proj = inner[0] if inner else None
                while proj is not None and proj.type not in ("user_type", "nullable_type"):
                    proj = proj.named_children[0] if proj.named_children else None
                return ("A", self.type_from_node(src, proj))
            while len(ids) > 1 and ids[0][:1].islower():
                ids = ids[1:]  # a package prefix: app.talus.core.FrameInfo
            if not ids:
                return None
            if args:
                params = []
                for proj in args[0].named_children:
                    inner = proj
                    while inner is not None and inner.type not in ("user_type", "nullable_type"):
                        inner = inner.named_children[0] if inner.named_children else None
                    params.append(self.type_from_node(src, inner))
                return ("G", ".".join(ids), tuple(params))
            return ("N", ".".join(ids))
        for c in node.named_children:
            if c.type in ("user_type", "nullable_type"):
                return self.type_from_node(src, c)
        return None

    def model_of(self, t):
        base = unwrap(t)
        if not base or base[0] != "N":
            return None
        return self.lookup_path(base[1].split("."))

    # -- type inference -----------------------------------------------------------------
    def typeof(self, src, node):
        key = (id(src), node.start_byte, node.end_byte, node.type)
        if key in self.memo:
            return self.memo[key]
        self.memo[key] = None
        t = self._typeof(src, node)
        self.memo[key] = t
        return t

    def _typeof(self, src, node):
        ty = node.type
        if ty in ("identifier", "simple_identifier"):
            name = text(src, node)
            v = self.resolve_var(src, node, name)
            if v is not None:
                return v
            if self.api_type(name) is not None:
                return ("T", name)
            return None
        if ty == "parenthesized_expression" and node.named_children:
            return self.typeof(src, node.named_children[0])
        if ty == "navigation_expression":
            kids = [c for c in node.named_children]
            if len(kids) < 2:
                return None
            target, member = kids[0], kids[-1]
            rt = self.typeof(src, target)
            return self.member_type(rt, text(src, member))
        if ty == "call_expression":
            return self.call_type(src, node)
        if ty in ("as_expression",):
            tys = [c for c in node.named_children if c.type in ("user_type", "nullable_type")]
            return self.type_from_node(src, tys[-1]) if tys else None
        if ty == "binary_expression" and any(c.type == "?:" for c in node.children) and node.named_children:
            return unwrap(self.typeof(src, node.named_children[0]))
        if ty == "infix_expression" and len(node.named_children) == 3 \
                and text(src, node.named_children[1]) == "to":
            return ("P", self.typeof(src, node.named_children[0]), self.typeof(src, node.named_children[2]))
        if ty == "this_expression":
            owner = self.enclosing_class(src, node)
            return ("N", owner) if owner else None
        if ty == "postfix_expression" and text(src, node).endswith("!!") and node.named_children:
            return unwrap(self.typeof(src, node.named_children[0]))
        if ty == "indexing_expression" and node.named_children:
            rt = unwrap(self.typeof(src, node.named_children[0]))
            return rt[1] if rt and rt[0] == "A" else None
        return None

    def member_type(self, rt, name):
        if rt is None:
            return None
        if rt[0] == "T":
            tm = self.lookup_path(rt[1].split("."))
            if tm is None:
                return None
            if name in tm.nested:
                return ("T", f"{rt[1]}.{name}") if tm.nested[name].kind != "object" else ("N", f"{rt[1]}.{name}")
            if name in tm.static_props:
                return tm.static_props[name]
            return None
        base = unwrap(rt)
        if base and base[0] == "A":
            return None
        if base and base[0] == "G" and base[1] in KT_HOLDERS and name == "value" and base[2]:
            return base[2][0]
        if base and base[0] == "P":
            return {"first": base[1], "second": base[2]}.get(name)
        local = self.local_member(base, name)
        if local is not None:
            return local
        tm = self.model_of(base)
        if tm is not None and name in tm.props:
            return tm.props[name]
        return None

    def call_type(self, src, call):
        callee = call.named_children[0] if call.named_children else None
        if callee is None:
            return None
        lam = [c for c in call.named_children if c.type == "annotated_lambda"]
        if lam and callee.type in ("identifier", "simple_identifier", "call_expression"):
            head = callee if callee.type != "call_expression" else callee.named_children[0]
            if head.type in ("identifier", "simple_identifier") and text(src, head) in KT_RESULT_LAMBDAS:
                return self.lambda_result(src, lam[0])
        if callee.type == "call_expression":
            return self.call_type(src, callee)
        if callee.type in ("identifier", "simple_identifier"):
            name = text(src, callee)
            if self.api_type(name) is not None and self.resolve_var(src, callee, name) is None:
                return ("N", name)
            if name in self.local_classes and self.resolve_var(src, callee, name) is None:
                return ("N", name)
            owner = self.enclosing_class(src, call)
            if owner:
                local = self.local_member(("N", owner), name, methods=True)
                if local is not None:
                    return local
            fs = self.api.funcs.get(name)
            return fs[0].ret if fs and name not in self.local_types else None
        if callee.type == "navigation_expression":
            kids = callee.named_children
            if len(kids) < 2:
                return None
            target, member = kids[0], text(src, kids[-1])
            rt = self.typeof(src, target)
            if rt is None:
                return None
            if rt[0] == "T":
                tm = self.lookup_path(rt[1].split("."))
                if tm is None:
                    return None
                if member in tm.nested:
                    return ("N", f"{rt[1]}.{member}")
                fs = tm.methods.get(member)
                return fs[0].ret if fs else None
            base = unwrap(rt)
            lam = [c for c in call.named_children if c.type == "annotated_lambda"]
            if lam and member in ("let", "run", "use", "with"):
                return self.lambda_result(src, lam[0])
            if lam and member in ("also", "apply"):
                return rt
            local = self.local_member(base, member, methods=True)
            if local is not None:
                return local
            if base and base[0] == "A":
                if member in ("filter", "filterNot", "sortedBy", "sortedByDescending", "reversed", "take", "drop"):
                    return base
                if member in ("first", "last", "single", "find", "firstOrNull", "lastOrNull", "getOrNull",
                              "singleOrNull", "maxByOrNull", "minByOrNull", "get"):
                    return base[1] if not member.endswith("OrNull") and member != "find" else ("O", base[1])
                return None
            tm = self.model_of(base)
            if tm is not None:
                fs = tm.methods.get(member)
                if fs:
                    return fs[0].ret
                if member in ("let", "use", "run"):
                    return None
        return None

    def lambda_result(self, src, annotated):
        """The type of a lambda's last expression (what `withContext { }` or `let { }` returns)."""
        lit = annotated.named_children[0] if annotated.named_children else None
        if lit is None or lit.type != "lambda_literal":
            return None
        body = [c for c in lit.named_children if c.type not in ("lambda_parameters",)]
        if body and body[-1].type == "statements":
            body = body[-1].named_children
        return self.typeof(src, body[-1]) if body else None

    def enclosing_class(self, src, node):
        n = node.parent
        while n is not None:
            if n.type in ("class_declaration", "object_declaration"):
                return next((text(src, c) for c in n.children if c.type in ("identifier", "type_identifier")), None)
            n = n.parent
        return None

    def resolve_var(self, src, node, name):
        child, n = node, node.parent
        while n is not None:
            t = self.decl_in_scope(src, n, child, name)
            if t is not False:
                return t
            child, n = n, n.parent
        return None

    def decl_in_scope(self, src, scope, child, name):
        st = scope.type
        if st == "function_declaration":
            for c in scope.children:
                if c.type == "function_value_parameters":
                    for p in c.named_children:
                        if p.type == "parameter":
                            ids = [x for x in p.children if x.type in ("identifier", "simple_identifier")]
                            if ids and text(src, ids[0]) == name:
                                return self.type_from_node(src, p)
            return False
        if st == "lambda_literal":
            param = self.lambda_param(src, scope, name)
            if param is not False:
                return param
            found, result = False, None
            for c in scope.named_children:
                if c.start_byte >= child.start_byte:
                    break
                if c.type == "property_declaration":
                    t = self.property_type(src, c, name)
                    if t is not False:
                        found, result = True, t
            return result if found else False
        if st in ("block", "statements", "source_file", "class_body", "function_body", "control_structure_body"):
            found, result = False, None
            for c in scope.named_children:
                if st in ("block", "statements", "function_body", "control_structure_body") \
                        and c.start_byte >= child.start_byte:
                    break
                if c.type == "property_declaration":
                    t = self.property_type(src, c, name)
                    if t is not False:
                        found, result = True, t
            if found:
                return result
            if st == "class_body":
                owner = self.enclosing_class(src, scope)
                inherited = self.local_member(("N", owner), name) if owner else None
                if inherited is not None:
                    return inherited
                cls = scope.parent
                for c in cls.children if cls is not None else []:
                    if c.type == "primary_constructor":
                        for cp in c.named_children:
                            for p in cp.named_children if cp.type == "class_parameters" else [cp]:
                                if p.type == "class_parameter":
                                    ids = [x for x in p.children if x.type in ("identifier", "simple_identifier")]
                                    if ids and text(src, ids[0]) == name:
                                        return self.type_from_node(src, p)
            return False
        if st == "for_statement":
            vd = [c for c in scope.named_children if c.type == "variable_declaration"]
            if vd:
                ids = [x for x in vd[0].children if x.type in ("identifier", "simple_identifier")]
                if ids and text(src, ids[0]) == name:
                    exprs = [c for c in scope.named_children if c.type not in ("variable_declaration", "control_structure_body", "block")]
                    if exprs:
                        ct = unwrap(self.typeof(src, exprs[0]))
                        return ct[1] if ct and ct[0] == "A" else None
                    return None
            return False
        if st == "class_declaration":
            for c in scope.children:
                if c.type == "primary_constructor":
                    for cp in c.named_children:
                        for p in cp.named_children if cp.type == "class_parameters" else [cp]:
                            if p.type == "class_parameter":
                                ids = [x for x in p.children if x.type in ("identifier", "simple_identifier")]
                                if ids and text(src, ids[0]) == name:
                                    return self.type_from_node(src, p)
            return False
        return False

    def property_type(self, src, decl, name):
        multi = [c for c in decl.named_children if c.type == "multi_variable_declaration"]
        if multi:
            names = []
            for vd in multi[0].named_children:
                ids = [x for x in vd.children if x.type == "identifier"]
                names.append(text(src, ids[0]) if ids else None)
            if name not in names:
                return False
            values = [c for c in decl.named_children if c.type != "multi_variable_declaration"]
            pair = self.typeof(src, values[-1]) if values else None
            if pair and pair[0] == "P" and names.index(name) < 2:
                return pair[1 + names.index(name)]
            return None
        vd = [c for c in decl.named_children if c.type == "variable_declaration"]
        if not vd:
            return False
        ids = [x for x in vd[0].children if x.type in ("identifier", "simple_identifier")]
        if not ids or text(src, ids[0]) != name:
            return False
        ann = self.type_from_node(src, vd[0])
        if ann is not None:
            return ann
        values = [c for c in decl.named_children if c.type not in ("variable_declaration", "modifiers", "property_delegate")]
        return self.typeof(src, values[-1]) if values else None

    def lambda_param(self, src, lam, name):
        params = []
        for c in lam.named_children:
            if c.type == "lambda_parameters":
                for vd in c.named_children:
                    ids = [x for x in vd.children if x.type in ("identifier", "simple_identifier")] \
                        if vd.type == "variable_declaration" else []
                    params.append(text(src, ids[0]) if ids else None)
        names = params or ["it"]
        if name not in names or names.index(name) != 0:
            return False
        n = lam.parent
        while n is not None and n.type in ("annotated_lambda", "call_suffix", "value_argument", "value_arguments"):
            n = n.parent
        if n is None or n.type != "call_expression":
            return None
        callee = n.named_children[0]
        if callee.type != "navigation_expression" or len(callee.named_children) < 2:
            return None
        method = text(src, callee.named_children[-1])
        rt = self.typeof(src, callee.named_children[0])
        if method in KT_SCOPE_LAMBDAS:
            return unwrap(rt)
        base = unwrap(rt)
        if base and base[0] == "A" and method in KT_ELEMENT_LAMBDAS:
            return base[1]
        return None

    # -- checks -------------------------------------------------------------------------
    def run(self, only=None):
        for path, src, tree in self.files:
            if only is None or path in only:
                self.used.path = path
                self.walk(path, src, tree.root_node)
        return self.findings

    def walk(self, path, src, node):
        t = node.type
        if t == "import" or t == "import_header":
            self.check_import(path, src, node)
            return
        if t == "call_expression":
            self.check_call(path, src, node)
        elif t == "navigation_expression":
            parent = node.parent
            if not (parent is not None and parent.type == "call_expression" and parent.named_children[0] == node):
                self.check_member(path, src, node)
        elif t == "user_type":
            self.check_type_ref(path, src, node)
        elif t in ("binary_expression", "equality_expression"):
            self.check_string_vs_enum(path, src, node)
        elif t == "when_expression":
            self.check_when(path, src, node)
        for c in node.children:
            self.walk(path, src, c)

    def fresh(self, api):
        """A checker over the same files and shell declarations with another API model."""
        other = copy.copy(self)
        other.api = api
        other.findings, other.checked, other.used, other.memo = [], 0, UseLog(), {}
        return other

    def enum_like(self, t):
        """An API enum class or sealed class (a closed set)."""
        tm = self.model_of(t)
        if tm is None:
            return None
        short = tm.name.split(".")[-1]
        if tm.kind == "enum" or any(short in n.supers for n in tm.nested.values()):
            return tm
        return None

    def from_api(self, src, node):
        if node.type != "navigation_expression" or len(node.named_children) < 2:
            return False
        return self.model_of(self.typeof(src, node.named_children[0])) is not None

    def check_string_vs_enum(self, path, src, node):
        ops = [c for c in node.children if not c.is_named]
        if not any(text(src, o) in ("==", "!=") for o in ops):
            return
        sides = node.named_children
        if len(sides) != 2:
            return
        for lit, other in ((sides[0], sides[1]), (sides[1], sides[0])):
            if lit.type == "string_literal":
                tm = self.enum_like(self.typeof(src, other))
                if tm is not None:
                    self.checked += 1
                    self.report(path, node, f"{text(src, lit)}: {tm.name} is an enum in the generated API; "
                                            f"compare with its entries, not a string")

    def check_when(self, path, src, node):
        subj = [c for c in node.named_children if c.type == "when_subject"]
        if not subj or not subj[0].named_children:
            return
        subject = subj[0].named_children[-1]
        st = self.typeof(src, subject)
        tm = self.enum_like(st)
        is_api_string = unwrap(st) == ("N", "String") and self.from_api(src, subject)
        if tm is None and not is_api_string:
            return
        for entry in node.named_children:
            if entry.type != "when_entry":
                continue
            conditions = []
            for c in entry.children:
                if c.type == "->":
                    break  # what follows is the branch's value, not a condition
                if c.is_named:
                    conditions.append(c)
            for cond in conditions:
                ctext = text(src, cond)
                if tm is not None and cond.type == "string_literal":
                    self.checked += 1
                    self.report(path, cond, f"{ctext}: {tm.name} is an enum in the generated API; "
                                            f"match its entries, not strings")
                elif is_api_string and cond.type == "navigation_expression":
                    rt = self.typeof(src, cond.named_children[0]) if cond.named_children else None
                    if rt and rt[0] == "T":
                        self.checked += 1
                        self.report(path, cond, f"{ctext}: {text(src, subject)} is a String in the generated "
                                                f"API, not an enum")

    def check_import(self, path, src, node):
        s = re.sub(r"\s+", "", text(src, node))
        m = re.match(r"import" + re.escape(self.package) + r"\.([A-Za-z_][\w.]*)$", s)
        if not m:
            return
        parts = m.group(1).split(".")
        if parts[-1] == "*":
            return
        self.checked += 1
        name = parts[0]
        self.used.add(("import", name))
        if name not in self.api.types and name not in self.api.funcs:
            self.report(path, node, f"import {self.package}.{m.group(1)}: not in the generated API")
        elif len(parts) > 1 and self.lookup_path(parts) is None:
            self.report(path, node, f"import {self.package}.{m.group(1)}: not in the generated API")

    def check_type_ref(self, path, src, node):
        ids = [text(src, c) for c in node.children if c.type in ("identifier", "type_identifier", "simple_identifier")]
        while len(ids) > 1 and ids[0][:1].islower():
            ids = ids[1:]  # a package prefix
        if len(ids) < 2 or self.api_type(ids[0]) is None:
            return
        parts = ids
        self.checked += 1
        self.used.add((parts[0], parts[1]))
        if self.lookup_path(parts) is None:
            self.report(path, node, f"{'.'.join(parts)}: no such nested class in the generated API")

    def arg_shape(self, src, call):
        positional, names, lambdas = 0, [], 0
        for part in call.named_children[1:]:
            holder = part
            if part.type == "call_suffix":
                for sub in part.named_children:
                    if sub.type == "value_arguments":
                        holder = sub
                    elif sub.type == "annotated_lambda":
                        lambdas += 1
            if holder.type == "value_arguments":
                for arg in holder.named_children:
                    if arg.type != "value_argument":
                        continue
                    kids = arg.children
                    if len(kids) >= 3 and kids[1].type == "=" and kids[0].type in ("identifier", "simple_identifier"):
                        names.append(text(src, kids[0]))
                    else:
                        positional += 1
            elif part.type == "annotated_lambda":
                lambdas += 1
        return positional, names, lambdas

    def check_params(self, path, src, call, what, overloads):
        positional, names, lambdas = self.arg_shape(src, call)
        self.checked += 1
        total = positional + len(names) + lambdas
        for c in overloads:
            required = sum(1 for p in c.params if not p.has_default)
            labels = [p.label for p in c.params]
            if not (required <= total <= len(c.params)):
                continue
            if any(n not in labels for n in names):
                continue
            if any(labels.index(n) < positional for n in names):
                continue
            return
        want = " or ".join(c.describe(swift=False) for c in overloads) or "(none)"
        got = f"{total} argument(s)" + (f" named {', '.join(names)}" if names else "")
        self.report(path, call, f"{what}: called with {got}; the generated API has {what}{want}")

    def check_call(self, path, src, call):
        callee = call.named_children[0] if call.named_children else None
        if callee is None:
            return
        if callee.type in ("identifier", "simple_identifier"):
            name = text(src, callee)
            if self.resolve_var(src, callee, name) is not None:
                return
            tm = self.api_type(name)
            if tm is not None:
                self.used.add((name, "<init>"))
                self.check_params(path, src, call, name, tm.inits)
            elif name in self.api.funcs and name not in self.local_types and not self.local_function(name):
                self.used.add(("", name))
                self.check_params(path, src, call, name, self.api.funcs[name])
            return
        if callee.type != "navigation_expression" or len(callee.named_children) < 2:
            return
        target, member_node = callee.named_children[0], callee.named_children[-1]
        member = text(src, member_node)
        rt = self.typeof(src, target)
        if rt is None:
            return
        if rt[0] == "T":
            tname = rt[1]
            tm = self.lookup_path(tname.split("."))
            if tm is None:
                return
            self.used.add((tname, member))
            if member in tm.nested:
                nested = tm.nested[member]
                if nested.kind == "object":
                    self.checked += 1
                    self.report(path, call, f"{tname}.{member} is an object; it takes no arguments")
                    return
                self.check_params(path, src, call, f"{tname}.{member}", nested.inits)
                return
            statics = [c for c in tm.methods.get(member, []) if c.static]
            if not statics:
                if member in KT_UNIVERSAL or member in ("values", "valueOf", "entries"):
                    return
                self.checked += 1
                self.report(path, callee, f"{tname}.{member}(...): no such companion function or class in the generated API")
                return
            self.check_params(path, src, call, f"{tname}.{member}", statics)
            return
        tm = self.model_of(rt)
        if tm is None:
            return
        tname = unwrap(rt)[1]
        if member in KT_UNIVERSAL:
            if member == "copy" and tm.kind == "data":
                self.used.add((tname, "copy"))
                _, names, _ = self.arg_shape(src, call)
                self.checked += 1
                for n in names:
                    if n not in tm.props:
                        self.report(path, call, f"{tname}.copy({n} = ...): {tname} has no property '{n}'")
            return
        if (tname, member) in self.ext:
            return
        self.used.add((tname, member))
        methods = [c for c in tm.methods.get(member, []) if not c.static]
        if not methods:
            self.checked += 1
            if member in tm.props or self.in_subclass(tm, member):
                return
            self.report(path, callee, f"{tname}.{member}(...): no such method in the generated API")
            return
        self.check_params(path, src, call, f"{tname}.{member}", methods)

    def local_function(self, name):
        return False

    @staticmethod
    def in_subclass(tm, member):
        """A sealed class's value may be smart-cast (`is EffectInfo.PlayVideo`) before a
        subclass property is read; accept members that some subclass has."""
        short = tm.name.split(".")[-1]
        return any(member in n.props or member in n.methods
                   for n in tm.nested.values() if short in n.supers)

    def check_member(self, path, src, nav):
        kids = nav.named_children
        if len(kids) < 2:
            return
        target, member_node = kids[0], kids[-1]
        member = text(src, member_node)
        if "::" in text(src, nav):
            return
        rt = self.typeof(src, target)
        if rt is None:
            return
        if rt[0] == "T":
            tname = rt[1]
            tm = self.lookup_path(tname.split("."))
            if tm is None:
                return
            if member in ("Companion", "values", "entries", "valueOf"):
                return
            self.used.add((tname, member))
            self.checked += 1
            if member not in tm.nested and member not in tm.static_props and member not in tm.methods:
                self.report(path, nav, f"{tname}.{member}: no such entry, object or class in the generated API")
            return
        tm = self.model_of(rt)
        if tm is None or member in KT_UNIVERSAL:
            return
        tname = unwrap(rt)[1]
        if (tname, member) in self.ext:
            return
        self.used.add((tname, member))
        self.checked += 1
        if member not in tm.props and member not in tm.methods and not self.in_subclass(tm, member):
            self.report(path, nav, f"{tname}.{member}: no such property in the generated API")


# ----------------------------------------------------------------------------------------

def source_files(roots, suffixes, exclude=()):
    out = []
    for r in roots:
        p = Path(r)
        if p.is_file():
            out.append(p)
            continue
        if not p.exists():
            continue
        for f in sorted(p.rglob("*")):
            if f.suffix in suffixes and f.is_file() and not any(part in exclude for part in f.parts):
                out.append(f)
    return out


def check(swift_api, kotlin_api, swift_roots, kotlin_roots):
    findings, summary, used = [], [], {}
    if swift_roots:
        files = [f for f in source_files(swift_roots, {".swift"}) if f.name != "TalusCore.swift"]
        api = load_swift_api(Path(swift_api))
        sc = SwiftChecker(api, files)
        findings += sc.run()
        summary.append(f"Swift: {len(files)} files, {sc.checked} references into the API checked")
        used["swift"] = (api, sc)
    if kotlin_roots:
        files = source_files(kotlin_roots, {".kt", ".kts"}, exclude={"build", "generated"})
        api = load_kotlin_api(Path(kotlin_api))
        kc = KotlinChecker(api, files)
        findings += kc.run()
        summary.append(f"Kotlin: {len(files)} files, {kc.checked} references into the API checked")
        used["kotlin"] = (api, kc)
    return findings, summary, used


def self_test():
    """Fixtures with marked mistakes must produce exactly those findings; removing any API
    member the real shells use must produce a finding."""
    here = Path(__file__).resolve().parent
    fx = here / "fixtures"
    ok = True
    for lang, api_file, sources in (
        ("swift", fx / "api" / "FixtureCore.swift", [fx / "swift"]),
        ("kotlin", fx / "api" / "fixture_ffi.kt", [fx / "kotlin"]),
    ):
        if lang == "swift":
            findings, summary, _ = check(api_file, None, sources, [])
            files = source_files(sources, {".swift"})
        else:
            findings, summary, _ = check(None, api_file, [], sources)
            files = source_files(sources, {".kt"})
        expected = {}
        for f in files:
            for i, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
                m = re.search(r"// expect: (.+)$", line)
                if m:
                    expected[(str(f), i)] = m.group(1).strip()
        got = {(x.path, x.line): x.message for x in findings}
        for key, want in expected.items():
            if key not in got:
                print(f"self-test FAILED ({lang}): {key[0]}:{key[1]} should report '{want}', reported nothing")
                ok = False
            elif want not in got[key]:
                print(f"self-test FAILED ({lang}): {key[0]}:{key[1]} should report '{want}', got '{got[key]}'")
                ok = False
        for key, msg in got.items():
            if key not in expected:
                print(f"self-test FAILED ({lang}): unexpected finding {key[0]}:{key[1]}: {msg}")
                ok = False
        print(f"self-test {lang}: {len(expected)} planted mistakes, {len(got)} findings; " + "; ".join(summary))
    return ok


def mutation_test(swift_api, kotlin_api, swift_roots, kotlin_roots):
    """Removes each API member the shells use, one at a time, and expects a finding."""
    ok = True
    for lang, load, roots, Checker, suffixes in (
        ("swift", load_swift_api, swift_roots, SwiftChecker, {".swift"}),
        ("kotlin", load_kotlin_api, kotlin_roots, KotlinChecker, {".kt"}),
    ):
        api_file = swift_api if lang == "swift" else kotlin_api
        if not roots or not api_file:
            continue
        files = source_files(roots, suffixes, exclude={"build", "generated"})
        files = [f for f in files if f.name != "TalusCore.swift"]
        api = load(Path(api_file))
        base = Checker(api, files)
        if base.run():
            continue  # the real check reports these already
        missed, tried = [], 0
        skipped = sorted(m for t, m in base.used if t == "" and lang == "kotlin")
        if skipped:
            print(f"mutation test kotlin: free functions reached through `import app.talus.core.*` "
                  f"({', '.join(skipped)}) are checked by kotlinc in tests/run, not here")
        for tname, member in sorted(base.used):
            if tname == "" and lang == "kotlin":
                continue
            restore = remove_member(api, tname, member)
            if restore is None:
                continue
            tried += 1
            if not base.fresh(api).run(only=base.used[(tname, member)]):
                missed.append(f"{tname}.{member}" if tname else member)
            restore()
        if missed:
            ok = False
            print(f"mutation test ({lang}) FAILED: removing these went unnoticed: {', '.join(missed)}")
        print(f"mutation test {lang}: {tried} used API members removed one at a time, "
              f"{tried - len(missed)} caught")
    return ok


def remove_member(api: Api, tname, member):
    """Removes one member from the model in place; returns how to put it back (or None)."""
    def popper(d, key):
        if key not in d:
            return None
        value = d.pop(key)
        return lambda: d.__setitem__(key, value)

    if tname == "":
        return popper(api.funcs, member)
    if tname == "import" or member == "<type>":
        return popper(api.types, tname if member == "<type>" else member)
    parts = tname.split(".")
    tm = api.types.get(parts[0])
    for p in parts[1:]:
        tm = tm.nested.get(p) if tm else None
    if tm is None:
        return None
    if member in ("init", "<init>"):
        if not tm.inits:
            return None
        saved, tm.inits = tm.inits, []
        return lambda: setattr(tm, "inits", saved)
    for d in (tm.methods, tm.props, tm.static_props, tm.cases, tm.nested):
        if member in d:
            return popper(d, member)
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--swift-api")
    ap.add_argument("--kotlin-api")
    ap.add_argument("--swift", nargs="*", default=[])
    ap.add_argument("--kotlin", nargs="*", default=[])
    ap.add_argument("--self-test", action="store_true")
    a = ap.parse_args()
    if a.self_test:
        ok = self_test()
        if a.swift_api or a.kotlin_api:
            ok = mutation_test(a.swift_api, a.kotlin_api, a.swift, a.kotlin) and ok
        print("conformance self-test: " + ("passed" if ok else "FAILED"))
        return 0 if ok else 1
    findings, summary, _ = check(a.swift_api, a.kotlin_api, a.swift, a.kotlin)
    for f in findings:
        print(f)
    for s in summary:
        print("conformance: " + s)
    print(f"conformance: {len(findings)} call(s) into the generated API do not exist")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
