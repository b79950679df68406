"""What the build wrote: the built-HTML gate, the published files, and text
into the PDF's Typst source.

``site`` (the output gate over built HTML), ``assets`` (the static-file
manifest and its rule) and ``typst_text`` (the one escaping function).
"""
