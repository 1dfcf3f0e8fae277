"""Reports for BKPSDM (SPEC §1 monitoring, issue 13 scope 6): a report is a title and some
tables (model.py), built from the read models and the log (recaps.py, plan_document.py,
minutes.py) and rendered as Excel (xlsx.py, openpyxl) or PDF (pdf.py, fpdf2 as the decrees).
"""
