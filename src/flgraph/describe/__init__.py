"""What the dataset and its endpoint say about themselves: VoID/DCAT and the SPARQL
service description."""
