"""The switch cost (``cost.score``): what leaving each vendor the code uses would cost,
and what moving everything to each target would cost, in estimated lines to change.

``targets`` (what a finding costs towards a target), ``flow`` (whose code a finding is,
portable layers, legacy reads, targets already supported), ``price`` (points shared by
role and portability, lines), ``suggest`` (the changes that would lower the cost),
``cost`` (the entry point that puts them together), ``calibration`` (the constants and
where they come from). The model: docs/scoring.md.
"""

from lockscan.score import calibration
from lockscan.score.cost import (
    MAX_CONTRIBUTORS,
    Scores,
    ScoreSettings,
    part_of,
    score,
    score_target,
    score_targets,
    vendors_in_use,
)
from lockscan.score.price import grade_for, index_for, scatter_factor
from lockscan.score.targets import (
    LEGACY_APIS,
    check_targets,
    default_effort,
    effort_for_target,
    known_targets,
    portable_layers,
)

__all__ = [
    "LEGACY_APIS", "MAX_CONTRIBUTORS", "ScoreSettings", "Scores", "calibration", "check_targets",
    "default_effort", "effort_for_target", "grade_for", "index_for",
    "known_targets", "part_of", "portable_layers", "scatter_factor", "score", "score_target",
    "score_targets", "vendors_in_use",
]
