"""Languages by file name: how their comments look, and, where a tree-sitter grammar is
installed, which syntax nodes are symbols and which are decisions (for complexity)."""

import os

# name -> (extensions or file names, line comment markers, block comment (open, close) pairs)
LANGUAGES = {
    "Rust": ((".rs",), ("//",), (("/*", "*/"),)),
    "Python": ((".py", ".pyi"), ("#",), ()),
    "JavaScript": ((".js", ".mjs", ".cjs", ".jsx"), ("//",), (("/*", "*/"),)),
    "TypeScript": ((".ts", ".tsx", ".mts", ".cts"), ("//",), (("/*", "*/"),)),
    "Go": ((".go",), ("//",), (("/*", "*/"),)),
    "C": ((".c", ".h"), ("//",), (("/*", "*/"),)),
    "C++": ((".cc", ".cpp", ".cxx", ".hpp", ".hh"), ("//",), (("/*", "*/"),)),
    "Java": ((".java",), ("//",), (("/*", "*/"),)),
    "Shell": ((".sh", ".bash"), ("#",), ()),
    "TOML": ((".toml",), ("#",), ()),
    "YAML": ((".yml", ".yaml"), ("#",), ()),
    "JSON": ((".json",), (), ()),
    "Markdown": ((".md",), (), ()),
    "HTML": ((".html", ".htm"), (), (("<!--", "-->"),)),
    "CSS": ((".css", ".scss"), (), (("/*", "*/"),)),
    "SQL": ((".sql",), ("--",), (("/*", "*/"),)),
    "Makefile": (("Makefile", "makefile", ".mk"), ("#",), ()),
}

_BY_EXT = {}
for _name, (_exts, _line, _block) in LANGUAGES.items():
    for _e in _exts:
        _BY_EXT[_e] = _name


def language_of(path):
    """The language of a file, or None for files repoagent does not count."""
    base = os.path.basename(path)
    if base in _BY_EXT:
        return _BY_EXT[base]
    return _BY_EXT.get(os.path.splitext(base)[1].lower())


def comments(language):
    _, line, block = LANGUAGES[language]
    return line, block


# Syntax trees: grammar module, symbol node types (kind shown), decision node types.
GRAMMARS = {
    "Rust": ("tree_sitter_rust", "language", {
        "function_item": "function", "struct_item": "struct", "enum_item": "enum", "trait_item": "trait",
        "impl_item": "impl", "mod_item": "module", "macro_definition": "macro", "const_item": "const",
    }, {"if_expression", "match_arm", "while_expression", "for_expression", "loop_expression"}),
    "Python": ("tree_sitter_python", "language", {
        "function_definition": "function", "class_definition": "class",
    }, {"if_statement", "elif_clause", "for_statement", "while_statement", "except_clause", "conditional_expression",
        "boolean_operator"}),
    "JavaScript": ("tree_sitter_javascript", "language", {
        "function_declaration": "function", "class_declaration": "class", "method_definition": "method",
    }, {"if_statement", "for_statement", "for_in_statement", "while_statement", "switch_case", "catch_clause",
        "ternary_expression"}),
    "TypeScript": ("tree_sitter_typescript", "language_typescript", {
        "function_declaration": "function", "class_declaration": "class", "method_definition": "method",
        "interface_declaration": "interface", "type_alias_declaration": "type", "enum_declaration": "enum",
    }, {"if_statement", "for_statement", "for_in_statement", "while_statement", "switch_case", "catch_clause",
        "ternary_expression"}),
    "Go": ("tree_sitter_go", "language", {
        "function_declaration": "function", "method_declaration": "method", "type_spec": "type",
    }, {"if_statement", "for_statement", "expression_case", "type_case", "communication_case"}),
}
