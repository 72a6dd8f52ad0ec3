"""Test texts for ``aipower.check_text`` (also read by ``bench/run.py``).

Every paragraph is written in our own words. The figures, dates and attributions are kept from
the articles named with each text; no sentence is copied from them.

Each expectation is ``(figure as written, verdict, metric_id, entity_id, year)``; for an
``unresolved`` figure the last three are ``None``. ``SEED_FIGURES`` maps each figure of the
seed column to the ledger claim it restates.
"""

from __future__ import annotations

from typing import NamedTuple

Expected = tuple[str, str, str | None, str | None, int | None]


class Article(NamedTuple):
    url: str
    title: str
    date: str
    text: str
    expected: list[Expected]


#: Our paragraphs in the style of the seed column: "The State of AI: Is China about to win the
#: race?", Financial Times / MIT Technology Review, 2025-11-03,
#: https://www.technologyreview.com/2025/11/03/1126780/the-state-of-ai-is-china-about-to-win-the-race/
#: (figures from ../shared/facts/SEED_CLAIMS.md, claims C1-C8).
SEED_COLUMN = (
    "Is China about to win the AI race? On research, the numbers already lean its way. In 2023 "
    "China had the largest share of citations to AI publications, 22.6%, ahead of Europe with "
    "20.9% and the US with 13%, according to the Stanford AI Index 2025. China also accounted "
    "for 69.7% of AI patents in 2023.\n\n"
    "The US still leads where quality is measured: in 2023 US institutions wrote 50 of the 100 "
    "most-cited AI papers, against 34 from Chinese ones, though the American share is falling. "
    "In 2019, 59% of top-tier AI researchers worked in the US, compared with 11% in China, "
    "according to the US Council of Economic Advisers. By 2022 those figures were 42% and "
    "28%.\n\n"
    "US-based institutions produced 40 notable AI models in 2024, while Chinese ones produced "
    "15. DeepSeek-V3 was trained with about 2.6 million GPU-hours, far less than its American "
    "rivals. Chinese developers have overtaken American ones in monthly downloads of AI models. "
    "And in a 2024 Ipsos survey, 83% of Chinese respondents said AI products have more benefits "
    "than drawbacks, the most optimistic of any country.\n"
)
#: figure as written -> ledger claim it restates (C7 has no figure in the column)
SEED_FIGURES: dict[str, str] = {
    "22.6%": "C1b",
    "20.9%": "C1c",
    "13%": "C1d",
    "69.7%": "C2a",
    "50": "C3a",
    "34": "C3b",
    "59%": "C4a",
    "11%": "C4b",
    "42%": "C4c",
    "28%": "C4d",
    "40": "C5a",
    "15": "C5b",
    "2.6 million": "C6a",
    "83%": "C8",
}
SEED_RESOLUTION: dict[str, tuple[str, str, int]] = {
    "22.6%": ("citations_share", "CHN", 2023),
    "20.9%": ("citations_share", "EUROPE_UNSD", 2023),
    "13%": ("citations_share", "USA", 2023),
    "69.7%": ("patents_granted_share", "CHN", 2023),
    "50": ("top100_cited_publications", "USA", 2023),
    "34": ("top100_cited_publications", "CHN", 2023),
    "59%": ("talent_share_work", "USA", 2019),
    "11%": ("talent_share_work", "CHN", 2019),
    "42%": ("talent_share_work", "USA", 2022),
    "28%": ("talent_share_work", "CHN", 2022),
    "40": ("notable_models", "USA", 2024),
    "15": ("notable_models", "CHN", 2024),
    "2.6 million": ("training_gpu_hours", "DEEPSEEK_V3", 2024),
    "83%": ("optimism", "CHN", 2024),
}

U = "unresolved"

ARTICLES: list[Article] = [
    Article(
        url="https://hothardware.com/news/us-leads-ai-race-but-watch-out-for-china",
        title="Stanford Study Says U.S. Leads The AI Race But China Is Coming On Strong",
        date="not shown in the stored copy; reports the AI Index 2025 (published 2025-04)",
        text=(
            "US-based institutions released 40 notable AI models in 2024, compared with China's "
            "15 and three from Europe. In 2024 private AI investment in the US reached $109 "
            "billion, against $9.3 billion in China and $4.5 billion in the UK. The gap is "
            "starkest in generative AI, where US investment exceeded the combined total of the "
            "European Union and the UK by $25.5 billion."
        ),
        expected=[
            ("40", "matches", "notable_models", "USA", 2024),
            ("15", "matches", "notable_models", "CHN", 2024),
            ("three", "matches", "notable_models", "EUROPE_UNSD", 2024),  # a number word
            ("$109 billion", "rounded", "private_investment", "USA", 2024),
            ("$9.3 billion", "rounded", "private_investment", "CHN", 2024),
            ("$4.5 billion", "rounded", "private_investment", "GBR", 2024),
            ("$25.5 billion", U, None, None, None),  # a difference, three entities
        ],
    ),
    Article(
        url="https://mail.fudzilla.net/news/ai/60830-stanford-warns-china-s-ai-chase-is-nearly-neck-and-neck",
        title="Stanford warns China's AI chase is nearly neck and neck",
        date="not shown in the stored copy; reports the AI Index 2025 (published 2025-04)",
        text=(
            "American institutions turned out 40 notable AI models in 2024, far ahead of "
            "China's 15. Private AI investment in the US came to $109.1 billion in 2024, nearly "
            "12 times China's total and far more than the UK's £4.5 billion. Generative AI alone "
            "drew $33.9 billion, up 18.7 per cent on the year before. AI use is spreading too: "
            "78 per cent of organisations said they used AI in 2024, up from 55 per cent in "
            "2023. In the 2024 Ipsos survey, optimism about AI was highest in China (83 per "
            "cent), Indonesia (80 per cent) and Thailand (77 per cent), and far lower in the US "
            "(39 per cent), Canada (40 per cent) and the Netherlands (36 per cent)."
        ),
        expected=[
            ("40", "matches", "notable_models", "USA", 2024),
            ("15", "matches", "notable_models", "CHN", 2024),
            ("$109.1 billion", "rounded", "private_investment", "USA", 2024),
            ("12 times", U, None, None, None),  # a ratio
            ("£4.5 billion", U, None, None, None),  # pounds, the metric is in USD
            ("$33.9 billion", U, None, None, None),  # no entity or metric phrase
            ("18.7 per cent", U, None, None, None),
            ("78 per cent", U, None, None, None),  # AI use: no such metric
            ("55 per cent", U, None, None, None),
            ("83 per cent", "unverified", "optimism", "CHN", 2024),
            ("80 per cent", "unverified", "optimism", "IDN", 2024),
            ("77 per cent", "unverified", "optimism", "THA", 2024),
            ("39 per cent", "unverified", "optimism", "USA", 2024),
            ("40 per cent", "unverified", "optimism", "CAN", 2024),
            ("36 per cent", "unverified", "optimism", "NLD", 2024),
        ],
    ),
    Article(
        url="https://techthelead.com/more-than-70-of-chinese-saudi-and-indians-feel-positively-about-artificial-intelligence-americans-35/",
        title=(
            "More than 70% of Chinese, Saudi, and Indians Feel Positively About Artificial "
            "Intelligence. Americans? 35%"
        ),
        date="not shown in the stored copy; reports the AI Index 2023 (published 2023-04)",
        text=(
            "More than 70% of people in China, Saudi Arabia and India see AI in a positive "
            "light, Stanford's AI Index found. In a 2022 Ipsos survey 78% of Chinese "
            "respondents thought AI products have more benefits than drawbacks, followed by "
            "Saudi Arabia at 76% and India at 71%. By contrast only 35% of Americans saw more "
            "benefits than drawbacks in the 2022 survey. The number of AI incidents logged by "
            "the AIAAIC database has grown 26 times since 2012."
        ),
        expected=[
            ("70%", U, None, None, None),  # "more than": a bound
            ("78%", U, None, None, None),  # aipower has China's 2024 value only
            ("76%", U, None, None, None),  # no Saudi data
            ("71%", U, None, None, None),  # India: 2024 only
            ("35%", "unverified", "optimism", "USA", 2022),
            ("26 times", U, None, None, None),
        ],
    ),
    Article(
        url="https://bnnbreaking.com/tech/china-trails-in-ai-race-lacks-openai-equivalent-amidst-nvidias-chip-surge",
        title="China trails in AI race, lacks OpenAI equivalent amidst Nvidia's chip surge",
        date="2024-03-31",
        text=(
            "Last year investment in US generative AI startups reached $31 billion across 1,151 "
            "deals, while Chinese ones drew only $2 billion in 68 deals, down from $5.5 billion "
            "in 377 deals the year before."
        ),
        # no year is written and the deal counts are no aipower metric: all unresolved
        expected=[
            ("$31 billion", U, None, None, None),
            ("1,151", U, None, None, None),
            ("$2 billion", U, None, None, None),
            ("68", U, None, None, None),
            ("$5.5 billion", U, None, None, None),
            ("377", U, None, None, None),
        ],
    ),
    Article(
        url="https://scsp.ai/reports/2025-gaps-analysis/gaps-analysis/artificial-intelligence",
        title="Artificial Intelligence (SCSP 2025 Gaps Analysis)",
        date="2025 (the analysis cites the AI Index 2024)",
        text=(
            "In 2023, private AI investment in the United States was almost nine times the "
            "amount invested in China, and the US had 897 newly funded AI companies."
        ),
        expected=[
            # aipower holds 897 only second-hand (AI Index 2024 via OWID), hence unverified
            ("897", "unverified", "newly_funded_companies", "USA", 2023),
        ],
    ),
]

#: Our own sentences on figures of the claims ledger's context notes, each testing one rule.
EDGE_CASES: list[tuple[str, list[Expected]]] = [
    # a qualifier picks the specific metric of the concept (origin, not workplace)
    (
        "By undergraduate origin, China supplied 47% of top-tier AI researchers in 2022.",
        [("47%", "unverified", "talent_share_undergrad", "CHN", 2022)],
    ),
    # a stage qualifier: 2.664 million GPU-hours of pre-training, stated as 2.6 million
    (
        "The pre-training of DeepSeek-V3 took 2.6 million GPU-hours.",
        [("2.6 million", "differs", "training_gpu_hours_pretraining", "DEEPSEEK_V3", 2024)],
    ),
    # the report's edition year is not the period, and a figure number is not a figure
    (
        "The AI Index 2025 (Figure 1.2.3) gives no period here, only 69.7% of AI patents.",
        [("69.7%", U, None, None, None)],
    ),
    # names with digits are not figures
    ("DeepSeek-V3 and Qwen 2.5-Max were released by Chinese labs.", []),
    # a date is not a figure, and the year of a date is not a period
    ("The column appeared on November 3, 2025 in the FT.", []),
    # "nearly 60%" is a bound: never checked as a value
    (
        "In 2019 nearly 60% of top-tier AI researchers worked in the US.",
        [("60%", U, None, None, None)],
    ),
    # a currency code before the number, and the list rule for the second figure
    (
        "In 2024 private AI investment in the US came to USD 109.1 billion, and China 9.3 billion.",
        [
            ("USD 109.1 billion", "rounded", "private_investment", "USA", 2024),
            ("9.3 billion", "rounded", "private_investment", "CHN", 2024),
        ],
    ),
    # "50 versus 34"
    (
        "Of the 100 most-cited AI papers of 2023, the US had 50 versus 34 for China.",
        [
            ("50", "matches", "top100_cited_publications", "USA", 2023),
            ("34", "matches", "top100_cited_publications", "CHN", 2023),
        ],
    ),
    # a metric phrase right before the figure, with two metrics in the sentence
    (
        "In 2023 China's share of AI publications was 23.2%, and its share of citations 22.6%.",
        [
            ("23.2%", "matches", "publications_share", "CHN", 2023),
            ("22.6%", "matches", "citations_share", "CHN", 2023),
        ],
    ),
    # a rate: "per 100,000 inhabitants" picks the per-person metric (chart label 17.27)
    (
        "South Korea had 17.3 granted AI patents per 100,000 inhabitants in 2023.",
        [("17.3", "rounded", "patents_granted_per_100k", "KOR", 2023)],
    ),
    # a rate with no metric in aipower is never checked as a count
    (
        "In 2023 China published 20 AI papers per capita.",
        [("20", U, None, None, None)],
    ),
    # the cost of the final training run
    (
        "DeepSeek-V3 cost USD 5.576 million to train.",
        [("USD 5.576 million", "matches", "training_cost", "DEEPSEEK_V3", 2024)],
    ),
    # a rank is not a value, nor is a number word that is not next to a metric or entity
    (
        "In 2023 China's top 3 AI patents offices and two of the US labs had one model.",
        [("3", U, None, None, None)],
    ),
    # a change is not a level
    ("China's AI patents grew 30% in 2023.", [("30%", U, None, None, None)]),
    # a scale glued to the number, in capitals
    (
        "DeepSeek-V3 was trained with 2.788M GPU-hours.",
        [("2.788M", "matches", "training_gpu_hours", "DEEPSEEK_V3", 2024)],
    ),
    # "40 of the world's most notable AI models"
    (
        "In 2024 the US produced 40 of the world's most notable AI models.",
        [("40", "matches", "notable_models", "USA", 2024)],
    ),
]
