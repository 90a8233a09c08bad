"""The records pages (agencies, agreements, officers, complaints, what is due), one module each."""
