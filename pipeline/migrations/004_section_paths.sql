-- Where the text's own numbering puts a sentence: "Art. 53(1)(b)", "Sec. 4.2(a)(i)", "Measure 3.2(1)".
ALTER TABLE sentences ADD COLUMN section_path TEXT;
