# Real children's data never goes into git: extracts stay in data/ (ignored below) or
# outside this folder; reports are rebuilt from the data, so they are ignored too.
data/*
!data/README.md
reports/
*.failed.ipynb
.ipynb_checkpoints/
# local measures hold real figures: keep only the template
local_measures/*
!local_measures/README.md
