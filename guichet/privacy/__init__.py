"""Privacy: the register of processing as data, the data map, the published declaration, consents, the DPO."""
