"""The JSON Schemas of the public contract, shipped as package data (yibao.schemas)."""
