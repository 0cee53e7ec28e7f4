"""The commented template `biblio reading-list new` writes."""

from __future__ import annotations

__all__ = ["template"]

_TEMPLATE = '''# A biblio reading list. Build it with:  biblio reading-list build {name}
# See what it selects, and why, with:   biblio reading-list show {name}

title = "{title}"
subtitle = "A reading list"
# Markdown is allowed in the introduction and in every note.
introduction = """
Say here who the list is for, what it covers and how to read it.
"""
# A CSL style id (chicago-author-date, chicago-notes-bibliography, apa,
# modern-language-association, ...) or the path of a .csl file.
style = "chicago-author-date"
# Default order of every section: first-published, author, title or as-listed.
order = "first-published"

[[sections]]
heading = "Where to start"
note = "Why these works come first."
# Explicit works, by citation key (see `biblio export bibtex`) or by title and author:
# works = ["doe1950long", {{ title = "A Short History", author = "Roe", note = "Read this first." }}]
# Criteria: every criterion given must hold; the values of one criterion are alternatives.
# tags = ["to read"]            # works carrying one of these tags (biblio tag KEY TAG)
# text = "revolution"           # words in the title, names, publisher or notes
# authors = ["Doe", "Roe"]      # any of these contributors
# types = ["book"]              # CSL types
# cited_in = ["essay.md"]       # cited by one of these documents (file name or title)
# listed_under = ["Further reading"]  # listed under such a section of a document
# exclude = ["roe1960short"]    # never these
years = "1900.."                # first published: "1917..1925", "1917..", "..1925" or 1917

# A note on a work the criteria select:
# [sections.notes]
# doe1950long = "The standard account."
'''


def template(name: str) -> str:
    """A commented theme named `name`, valid as it stands (its one section takes every work from 1900)."""
    return _TEMPLATE.format(name=name, title=name.replace("-", " ").replace("_", " ").capitalize())
