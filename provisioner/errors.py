"""govcloud's errors and the diagnostics they carry.

    GovcloudError                 every error govcloud raises on purpose
    ├── UserError                 the input is wrong; exit 1; fix the input
    │   ├── SpecError             a request spec does not parse or validate
    │   └── ConfigError           govcloud's own settings are wrong or missing
    └── InfraError                a system govcloud drives failed; exit 2; retry or call ops
        ├── EngineError           the Pulumi engine (CLI, plugin, state backend) failed
        └── CloudError            OpenStack refused or did not answer

Anything else is a bug: the CLI exits 3 and writes the traceback to a log file.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Location:
    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input, located to the line.

    `code` is the stable rule id, `message` is in Chinese (the default for
    users), `message_en` its English version, `article` the regulation's article
    the rule serves (e.g. art14), shown after the message.
    """

    location: Location
    code: str
    message: str
    article: str = ""
    message_en: str = ""

    def __str__(self) -> str:
        return self.render("zh")

    def text(self, lang: str = "zh") -> str:
        return self.message_en if lang == "en" and self.message_en else self.message

    def render(self, lang: str = "zh") -> str:
        """`path:line:col: CODE message [article]`, in the language asked for."""
        cited = f" [{self.article}]" if self.article else ""
        return f"{self.location}: {self.code} {self.text(lang)}{cited}"

    @classmethod
    def at(cls, path: str, code: str, message: str, line: int = 1, column: int = 1) -> Problem:
        return cls(Location(path, line, column), code, message)


class GovcloudError(Exception):
    """Raised with a `provisioner.words.Text` (a sentence of a package's table), said in the
    reader's language at the CLI's boundary; str() of the error is its Chinese."""

    exit_code = 1

    def render(self, lang: str = "zh") -> str:
        """The error in `lang`. A plain string (a library's words passed on) is shown as it is."""
        render = getattr(self.args[0], "render", None) if self.args else None
        return render(lang) if callable(render) else str(self)


class UserError(GovcloudError):
    exit_code = 1


class SpecError(UserError):
    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ConfigError(UserError):
    pass


class InfraError(GovcloudError):
    exit_code = 2


class EngineError(InfraError):
    pass


class CloudError(InfraError):
    pass
