"""Map what credentials evidence onto skills taxonomies."""

from ._errors import MatcherError, TaxonomyFormatError
from ._loading import load_taxonomy
from ._matcher import Match, Matcher
from ._model import Requirement, Role, Skill, Taxonomy
from ._synonyms import Synonym, Synonyms, load_synonyms

__all__ = ["Match", "Matcher", "MatcherError", "Requirement", "Role", "Skill", "Synonym",
           "Synonyms", "Taxonomy", "TaxonomyFormatError", "load_synonyms", "load_taxonomy"]
