"""ipoffice: the digital platform of a regional IP administration."""
