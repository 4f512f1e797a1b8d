"""Sources stage: each document under seeds/ read, its format told from its bytes, and its text extracted.

HTML pages give their main text (trafilatura), PDFs their text page by page (PDFium),
text files their UTF-8 text. Extracted text is cached by the file's sha256 and the
extractor's name and version.
"""
