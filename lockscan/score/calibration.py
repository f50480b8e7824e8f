"""The score's constants, each with where it comes from (docs/scoring.md tells the whole
story; ``bench/validate_scoring.py`` measures the fitted ones on real migrations and
``bench/grades.py`` the grade distribution on real repositories).

Points stay the internal unit (the rules' story points per finding); what a user reads
is lines: points times the lines per point of the question the part answers."""

from __future__ import annotations

# --- roles: how much of a finding's points a file of each role costs (bench/validate_scoring.py
# measures the lines real migrations changed per point in each role, relative to production;
# each share is that median rounded to a tenth).
ROLE_SHARE: dict[str, float] = {
    "production": 1.0,
    # measured: 0.87 (median over 26 migrations). Bimodal: 10 left their tests (nearly)
    # alone, 16 changed them as much per point as production or more, so the median sat
    # anywhere from 0.33 to 0.59 while the engine found fewer test sites; now 0.87.
    "test": 0.9,
    "example": 0.1,  # measured: 0 (7 migrations, most left their examples alone); a floor
    "data": 0.1,  # no migration touched such files: priced as examples
    "config": 0.7,  # measured: 0.67 (5 migrations); each model id once per file
    "manifest": 0.2,  # measured: 0.19 (28 migrations): a pin is a line or two
}
# A model id counts once per (id, file) there: a config entry, a data row, a test's fixture
# model named a hundred times are each changed with one edit.
DEDUPED_ROLES = frozenset({"config", "data", "test"})

# --- shares of a finding's points when the code is already portable (judgement, no data:
# none of the real migrations started from a portable layer or an existing adapter).
PORTABLE_SHARE = 0.25  # behind litellm & co a provider switch is a model-string change
SUPPORTED_SHARE = 0.25  # beside an adapter that already talks to the target

# --- from points to sites: in a file that changes for a target, each site of the vendor
# costs at least RIDE_ALONG (it changes with the code around it) and at most
# MOST_PER_SITE (a rewrite; higher points measure thought, not lines, and the top of the
# scale, 13, marks stored data to rebuild, which the row counts apart).
RIDE_ALONG = 1
MOST_PER_SITE = 3

# --- scatter: the same points spread over more files and packages cost more to change and
# review (per source vendor, production code only).
MODULE_SCATTER = 0.0
PACKAGE_SCATTER = 0.0

# --- lines per point: one constant for every question (fitted on real migrations: the
# median of changed lines / points; bench/validate_scoring.py shows the held-out fit, and
# that one constant does as well as one per question while keeping them comparable).
LINES_PER_POINT = 6.0
# The interval around an estimate: the quartiles of actual / estimated lines on the same
# migrations, so about half of real changes fall inside it.
INTERVAL = (0.5, 2.5)

# --- grades: bands of estimated lines to change, each about three times the one before and
# read as time for one engineer: an afternoon, a day or two, a week, a few weeks, a quarter,
# more (bench/grades.py: their distribution on real repositories).
GRADE_BANDS: tuple[tuple[int, str], ...] = ((50, "A"), (150, "B"), (500, "C"), (1500, "D"),
                                            (5000, "E"))
WORST_GRADE = "F"
HALF_LINES = 500.0  # the index is 50 at this many lines, 75 at twice that
