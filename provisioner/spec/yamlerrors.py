"""libyaml's errors as findings: located, and in words a department's staff can act on."""

from __future__ import annotations

import yaml

from provisioner.spec.findings import Finding, Words

_SYNTAX_ZH = {
    "mapping values are not allowed": "此处不能写“键: 值”：缩进不对，或值里的冒号后有空格（请给值加引号）",
    "could not find expected ':'": "找不到应有的冒号“:”：上一行是不是没写完，或缩进不对",
    "did not find expected key": "找不到应有的键：缩进不一致，或上面有引号没有闭合",
    "did not find expected '-' indicator": "列表项缩进不一致，找不到应有的“-”",
    "found character that cannot start any token": "有不能作为开头的字符（Tab 缩进，或以 @、` 开头的值需加引号）",
    "found unexpected end of stream": "文件意外结束：引号或括号没有闭合",
    "did not find expected ',' or ']'": "方括号列表缺少“,”或“]”",
    "did not find expected ',' or '}'": "花括号映射缺少“,”或“}”",
    "block sequence entries are not allowed": "此处不能写列表项“-”：缩进不对",
    "found unknown escape character": "双引号里有未知的转义字符：Windows 路径请用单引号",
    "did not find expected node content": "缺少内容",
    "found undefined tag handle": "未定义的标签前缀",
    "did not find expected comment or line break": "值后面还有多余的内容",
}


def syntax_finding(exc: yaml.MarkedYAMLError) -> Finding:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = str(exc.problem or exc.context or "")
    zh = next((words for start, words in _SYNTAX_ZH.items() if problem.startswith(start)), None)
    words = Words(zh or f"无法解析（{problem}）", problem)
    context = exc.context_mark
    if context is not None and context.line + 1 != line:
        words = Words(f"{words.zh}（所在的块从第 {context.line + 1} 行开始）",
                      f"{words.en} (in the block starting on line {context.line + 1})")
    return Finding("yaml-syntax", at=(line, column), params={"problem": words})


def reader_finding(exc: yaml.reader.ReaderError, text: str) -> Finding:
    # libyaml reports a byte offset into the UTF-8 text.
    before = text.encode("utf-8")[: exc.position].decode("utf-8", errors="replace")
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    character = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
    return Finding("yaml-control-character", at=(line, column), params={"code": f"U+{character:04X}"})
