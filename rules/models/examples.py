# as-of: 2026-12-07
# The lifecycle rules judge the model ids that other rules find, on the date pinned above,
# with the data in rules/models/lifecycle.json (refreshed 2026-12-07).
from openai import OpenAI  # expect: openai.import

client = OpenAI()  # expect: openai.client

# Retired: the shutdown date has passed.
client.chat.completions.create(model="gpt-3.5-turbo-0613", messages=[])  # expect: openai.chat-completion, openai.model-id, models.retired
OLD = "claude-3-5-haiku-20241022"  # expect: anthropic.model-id, models.retired
CURRENT = "claude-sonnet-4-6"  # expect: anthropic.model-id-floating  # ok: models.retired, models.retiring

# Retiring: the shutdown is within the window (90 days).
SOON = "gpt-4o-2024-11-20"  # expect: openai.model-id, models.retiring
LATER = "gpt-5.1-2025-11-13"  # expect: openai.model-id  # ok: models.retiring, models.retired

# Floating: an alias the data marks as not pinned. A vendor's own floating rule
# (`*.model-id-floating`) already says so for its ids: the lifecycle rule stays silent there.
CHAT = "command-r-plus"  # expect: cohere.model-id, models.floating
PINNED = "command-r-plus-08-2024"  # expect: cohere.model-id  # ok: models.floating
FAST = "gpt-4o-mini"  # expect: openai.model-id-floating, models.retiring  # ok: models.floating

# Unlisted: a known family, an id the data does not list.
ANCIENT = "claude-3-opus-20230101"  # expect: anthropic.model-id, models.unlisted
NEWER = "gpt-4o-2027-03-01"  # expect: openai.model-id, models.unlisted
UNCLEAR = "mistral-small-2409"  # expect: mistral.model-id  # ok: models.unlisted
