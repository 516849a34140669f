"""Patent importers: one small parser per format version behind one interface (see ``base``)."""
