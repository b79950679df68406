"""Where the site lives, and which repository it came from.

The canonical base URL (:func:`base_url`), furo's "edit" and "view source"
links (:func:`source_links`), and whether git knows each page's date
(:func:`git_dates_known`): from Read the Docs' variables, else from git.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from .git import git as _git

# -- Site links: canonical URL and the repository ------------------------------
# Read the Docs says where the site lives and which repository it came from;
# elsewhere, git does. Nothing here is invented: an unknown repository means
# furo shows no "edit" or "view source" links.

#: The base URL outside Read the Docs: where `nox -s live` serves the site.
LOCAL_BASE_URL = "http://127.0.0.1:8000/"
#: Hosts whose edit and view URLs furo's links can follow, and their layouts.
SOURCE_LINKS = {
    "github.com": ("{repo}/edit/{branch}/{path}", "{repo}/blob/{ref}/{path}"),
    "gitlab.com": ("{repo}/-/edit/{branch}/{path}", "{repo}/-/blob/{ref}/{path}"),
    "bitbucket.org": (
        "{repo}/src/{branch}/{path}?mode=edit&at={branch}",
        "{repo}/src/{ref}/{path}",
    ),
}


def base_url(environ: Mapping[str, str]) -> str:
    """The site's canonical base URL: Read the Docs' own, else the local preview.

    >>> base_url({"READTHEDOCS_CANONICAL_URL": "https://x.readthedocs.io/en/latest/"})
    'https://x.readthedocs.io/en/latest/'
    >>> base_url({})
    'http://127.0.0.1:8000/'
    """
    url = environ.get("READTHEDOCS_CANONICAL_URL") or LOCAL_BASE_URL
    return url if url.endswith("/") else url + "/"


def repository_url(clone_url: str | None) -> str | None:
    """A repository's web address from its clone URL, if furo can link to it.

    >>> repository_url("git@github.com:owner/repo.git")
    'https://github.com/owner/repo'
    >>> repository_url("https://token@gitlab.com/group/repo.git")
    'https://gitlab.com/group/repo'
    >>> repository_url("/srv/git/repo.git") is None
    True
    """
    if not clone_url:
        return None
    match = re.match(
        r"^(?:https://(?:[^@/]+@)?|ssh://git@|git@)([^/:]+)[/:](.+?)(?:\.git)?/?$",
        clone_url.strip(),
    )
    if not match or match[1] not in SOURCE_LINKS:
        return None
    return f"https://{match[1]}/{match[2]}"


def git_dates_known(path: Path) -> bool:
    """Whether git knows when each page under ``path`` last changed.

    Only inside a git work tree with its whole history: a shallow clone (as
    Read the Docs and CI make unless told otherwise) cuts the history short,
    and sphinx-last-updated-by-git would then warn, failing a -W build.
    """
    return (
        _git(path, "rev-parse", "--is-inside-work-tree") == "true"
        and _git(path, "rev-parse", "--is-shallow-repository") == "false"
    )


def source_links(environ: Mapping[str, str], docs_dir: Path) -> dict[str, str]:
    """furo's edit and view links for the pages, or {} if the repository is unknown.

    >>> env = {"READTHEDOCS_GIT_CLONE_URL": "https://github.com/o/r.git",
    ...        "READTHEDOCS_GIT_IDENTIFIER": "main", "READTHEDOCS_VERSION_TYPE": "branch"}
    >>> links = source_links(env, Path("docs"))
    >>> links["source_edit_link"]
    'https://github.com/o/r/edit/main/docs/{filename}'
    >>> links["source_view_link"]
    'https://github.com/o/r/blob/main/docs/{filename}'

    A pull-request build knows its commit but not its branch: a view link only.

    >>> env.update(READTHEDOCS_VERSION_TYPE="external", READTHEDOCS_GIT_IDENTIFIER="42",
    ...            READTHEDOCS_GIT_COMMIT_HASH="abc123")
    >>> source_links(env, Path("docs"))
    {'source_view_link': 'https://github.com/o/r/blob/abc123/docs/{filename}'}
    """
    on_rtd = "READTHEDOCS_GIT_CLONE_URL" in environ
    if on_rtd:
        repo = repository_url(environ["READTHEDOCS_GIT_CLONE_URL"])
        external = environ.get("READTHEDOCS_VERSION_TYPE") == "external"
        branch = None if external else environ.get("READTHEDOCS_GIT_IDENTIFIER")
        commit = environ.get("READTHEDOCS_GIT_COMMIT_HASH")
    else:
        repo = repository_url(_git(docs_dir, "remote", "get-url", "origin"))
        branch = (
            _git(docs_dir, "symbolic-ref", "--short", "-q", "HEAD") if repo else None
        )
        commit = _git(docs_dir, "rev-parse", "HEAD") if repo else None
    if repo is None:
        return {}
    host = repo.split("/")[2]
    edit, view = SOURCE_LINKS[host]
    # The docs folder's path in the repository, as git names it ("docs/").
    folder = _git(docs_dir, "rev-parse", "--show-prefix") or f"{docs_dir.name}/"
    where = {"repo": repo, "path": f"{folder}{{filename}}"}
    links = {}
    if branch:
        links["source_edit_link"] = edit.format(branch=branch, **where)
    if ref := branch or commit:
        links["source_view_link"] = view.format(ref=ref, **where)
    return links
