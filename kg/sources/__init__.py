"""Sources in: reading RDF files safely, canonical data files, CSV import, synthetic graphs."""
