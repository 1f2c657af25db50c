"""Map what credentials evidence onto skills taxonomies (ESCO, O*NET, employer roles).

    taxonomy = load_taxonomy()            # the embedded starter; or an ESCO/O*NET folder
    matcher = Matcher(taxonomy)
    matcher.match("Advance Excel")        # [Match(uri, label, confidence, reason)]
    matcher.map_signals(extract(badge))   # [Evidence(...)], hierarchy credit included
"""

from ._errors import MatcherError, TaxonomyFormatError
from ._evidence import Evidence
from ._extract import Signal, extract
from ._loading import load_taxonomy
from ._matcher import Match, Matcher
from ._model import OccupationHit, Requirement, Role, Skill, Taxonomy
from ._rank import (MUST_HAVE_POLICIES, AcceptRule, EvidenceItem, Ranking, RequirementSpec, VerificationPolicy, rank,
                    recency)
from ._roles import apply_roles, load_roles_file
from ._synonyms import Synonym, Synonyms, load_synonyms

__all__ = ["MUST_HAVE_POLICIES", "AcceptRule", "Evidence", "EvidenceItem", "Match", "Matcher", "MatcherError", "OccupationHit",
           "Ranking", "Requirement", "RequirementSpec", "Role", "Signal", "Skill", "Synonym", "Synonyms",
           "Taxonomy", "TaxonomyFormatError", "VerificationPolicy", "apply_roles", "extract",
           "load_roles_file", "load_synonyms", "load_taxonomy", "rank", "recency"]
