"""The bundled model facts: each known model id's vendor, family, snapshot or alias,
deprecation and shutdown dates and successor, and the licences of open-weight families
(``rules/models/``, built by ``scripts/build_model_data.py``). Lookups only: nothing here
reads the clock or the network; a status is computed for a date the caller gives."""

from lockscan.catalog.data import CatalogError, ModelRecord, load_data
from lockscan.catalog.lookup import Catalog, Match, bare_id, spellings
from lockscan.catalog.status import lifecycle, parse_day, version_key

__all__ = ["Catalog", "CatalogError", "Match", "ModelRecord", "bare_id", "lifecycle",
           "load_data", "parse_day", "spellings", "version_key"]
