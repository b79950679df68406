"""What the brief cites and how it is cited: refs.bib, the record files and
CITATION.cff.

``bib`` (citations in pages, and the refs.bib rules), ``records`` (the record
files, ``docs/_records/<key>.yaml``) and ``cff`` (how to cite the brief).
"""
