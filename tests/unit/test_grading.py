"""The grader's rules, on one small question."""

from __future__ import annotations

import pytest

from bot.quiz.grading import grade, points_for
from bot.quiz.questions import KeyPoint, Question

QUESTION = Question(
    id="update-fields", number=1,
    question="After switching save() calls to save(update_fields=[...]) clients see outdated "
             "content. What could be the issue?",
    answer="", tags=("orm",), difficulty=2, references=(),
    key_points=(
        KeyPoint("auto_now fields are not updated unless listed",
                 ("auto_now not updated", "auto_now skipped", "timestamp not bumped")),
        KeyPoint("conditional responses keep serving old content",
                 ("etag unchanged", "304 not modified", "last-modified header")),
        KeyPoint("serialise the timestamp in the cache key",
                 ("cache key timestamp", "behaviour of the cache key")),
    ),
)


def asked(question: str, key_points: tuple[KeyPoint, ...],
          misconceptions: tuple[str, ...] = ()) -> Question:
    """A question for one rule's test: only its text, points and misconceptions matter."""
    return Question(id="q", number=1, question=question, answer="", tags=("orm",),
                    difficulty=2, references=(), key_points=key_points,
                    misconceptions=misconceptions)


def made(text: str) -> list[bool]:
    return grade(QUESTION, text).flags


def test_a_complete_answer_makes_every_point() -> None:
    text = ("auto_now fields are skipped when update_fields is passed. So the ETag stays "
            "unchanged and clients get 304 Not Modified. The cache key uses the timestamp too.")
    assert made(text) == [True, True, True]
    assert points_for(grade(QUESTION, text)) == 4


@pytest.mark.parametrize("text", [
    "the `auto_now` field is skipped by `update_fields`",
    "The AUTO_NOW fields get SKIPPED!!",
    "<@U024BE7LH> :thinking_face: auto_now is skiped",
    "Hmm. ```obj.save(update_fields=['title'])``` means auto_now is skipped.",
    "auto_now is skipped, see <https://docs.djangoproject.com/|the docs>",
])
def test_markup_case_code_and_typos_do_not_hide_a_point(text: str) -> None:
    assert made(text)[0]


def test_british_spelling_reads_like_american() -> None:
    assert made("The behavior of the cache key changes once you serialize it with the "
                "timestamp.")[2]
    assert made("The behaviour of the cache key changes once you serialise it with the "
                "timestamp.")[2]


def test_negated_statement_does_not_earn_the_point() -> None:
    assert not made("It's definitely not that auto_now is skipped, Django handles it.")[0]
    assert made("It's the cache: auto_now is skipped, so the timestamp is stale.")[0]
    # Typed in a hurry, without the apostrophe, a denial is still a denial.
    assert not made("nah auto_now isnt skipped, django handles it fine")[0]
    assert made("With update_fields the auto_now timestamp isnt bumped.")[0]


@pytest.mark.parametrize("text", [
    "It's not true that the old content comes from the etag being unchanged.",
    "Checking whether the etag is unchanged won't change anything here.",
    "Looking at the last-modified header isn't necessary, it's the proxy.",
    "Blaming the etag staying unchanged is a myth.",
    "The etag being unchanged isn't the problem at all.",
    "Worrying about the last-modified header is overkill.",
    "People think the etag stays unchanged, it doesn't.",
    "Forget about the last-modified header, it's the proxy.",
    "The etag unchanged thing used to be true in old versions.",
    "Checking the last-modified header is no longer needed.",
    "Everyone blames the last-modified header, but that's not it.",
    "The etag stays unchanged, which is a myth.",
    "Checking the last-modified header is not worth it.",
    "A last-modified header check is overengineering.",
    "The last-modified header is legacy these days.",
    "Everyone checks the last-modified header, but it doesn't really matter.",
    "People point at the last-modified header, but that's outdated.",
])
def test_a_denial_far_from_or_after_the_term_still_counts(text: str) -> None:
    assert not made(text)[1]


def test_not_only_and_clauses_that_follow_are_no_denial() -> None:
    assert made("Not only is the ETag unchanged, the cache key is stale too.")[1]
    assert made("It's not just the etag unchanged, the cache key is stale too.")[1]
    # After "can" or "should", "not just" denies: "you can't just X" says "don't X".
    assert not made("You can't just keep the etag unchanged and hope.")[1]
    # The negation belongs to "fetch"; the term stands in the clause after "until".
    assert made("Clients won't fetch it again until they see a new last-modified header.")[1]


def test_a_repeated_word_is_judged_where_the_term_stands() -> None:
    assert made("You can't rely on the `auto_now` option here: auto_now is skipped.")[0]
    # "updated" stands twice, first inside `updated_at`; the negated one is the term's.
    question = asked(
        "Why is the content stale?",
        key_points=(KeyPoint("the timestamp is not updated", ("timestamp not updated",)),),
    )
    assert grade(question, "The updated_at timestamp is not updated.").flags[0]
    assert not grade(question, "The updated_at timestamp is updated fine.").flags[0]


ABSENCE = asked(
    "What is F() for?",
    key_points=(KeyPoint("atomic increments avoid race conditions",
                         ("race condition", "lost update")),),
)


def test_a_point_about_absence_is_denied_only_by_a_denied_remedy() -> None:
    assert grade(ABSENCE, "The increment runs in SQL so there is no race condition.").flags[0]
    assert not grade(ABSENCE, "It doesn't help with race conditions at all.").flags[0]
    # A point about absence can still be dismissed after its term.
    assert not grade(ABSENCE, "Lost updates? A lost update is a myth here.").flags[0]
    assert not grade(ABSENCE, "Wrapping it in a lost update guard won't help either.").flags[0]


def test_a_term_with_a_negation_needs_one_in_the_answer() -> None:
    assert made("With update_fields the auto_now timestamp is not bumped.")[0]
    assert not made("With update_fields the auto_now timestamp is bumped as usual.")[0]


@pytest.mark.parametrize(("text", "reason"), [
    ("", "too short"),
    ("idk", "too short"),
    ("idk :sweat_smile: no clue honestly", "no answer"),
    ("pass, sorry, no idea", "no answer"),
    ("skip this one :sweat_smile:", "no answer"),
    ("auto_now skipped etag unchanged cache key timestamp", "a list of keywords, not an answer"),
    ("After switching save() calls to save(update_fields=[...]) clients see outdated content. "
     "What could be the issue?", "repeats the question"),
])
def test_noise_earns_nothing(text: str, reason: str) -> None:
    result = grade(QUESTION, text)
    assert result.noise == reason
    assert points_for(result) == 0 and result.made == 0


def test_words_of_a_term_must_stand_near_each_other() -> None:
    far = ("auto_now is a handy field option that lots of people use for all sorts of "
           "different things in their models and it was never really skipped")
    assert not made(far)[0]


def test_grading_is_deterministic() -> None:
    text = "auto_now is skipped and the etag is unchanged"
    assert grade(QUESTION, text) == grade(QUESTION, text)


def test_chat_shorthand_and_interchangeable_words_read_alike() -> None:
    question = asked(
        "What does bulk_create skip?",
        key_points=(KeyPoint("save() is not called per object", ("save per instance",)),),
    )
    assert grade(question, "It never calls save per obj, just one INSERT.").flags == [False]
    assert grade(question, "It doesn't run your save per record or per obj.").flags == [False]
    assert grade(question, "Your custom save per obj is skipped entirely.").flags == [True]
    # "w/o" is "without", and "bc" opens a clause of its own as "because" does.
    assert grade(question, "It inserts w/o a save per obj.").flags == [False]
    assert grade(question, "Undo doesnt help bc your custom save per obj is skipped.").flags[0]


def test_a_term_that_only_echoes_the_question_is_no_evidence() -> None:
    question = asked(
        "What does `CONN_MAX_AGE` do?",
        key_points=(KeyPoint("connections are reused until they reach that age",
                             ("maximum age", "reused connection")),),
    )
    assert not grade(question, "It is the setting for the max age of things.").flags[0]
    assert grade(question, "Each reused connection lives until the max age.").flags[0]


def test_a_question_put_to_be_answered_is_no_statement() -> None:
    assert not made("The etag unchanged? Nope, the proxy ignores it.")[1]
    # An answer put entirely as a question is still read.
    assert made("Could it be that the etag stays unchanged?")[1]


def test_once_per_row_is_not_once() -> None:
    question = asked(
        "Why does AddField with a uuid default fail?",
        key_points=(KeyPoint("the default is evaluated once", ("called once",)),),
    )
    assert grade(question, "The callable is called once, so rows share a value.").flags[0]
    assert not grade(question, "The callable is called once per row by Django.").flags[0]


def test_a_sentence_stating_a_misconception_is_no_evidence() -> None:
    question = asked(
        "Is atomic() needed around one save()?",
        key_points=(KeyPoint("atomic does not lock rows; use select_for_update",
                             ("select_for_update",)),),
        misconceptions=("atomic locks the row",),
    )
    wrong = "atomic locks the row like select_for_update would, so you are safe."
    assert grade(question, wrong).flags == [False]
    assert points_for(grade(question, wrong)) == 1  # still an answer, just not evidence
    right = "atomic doesn't lock the row: you need select_for_update for that."
    assert grade(question, right).flags == [True]


def test_an_answer_stating_a_misconception_needs_two_terms_per_point() -> None:
    question = asked(
        "Is atomic() needed around one save()?",
        key_points=(KeyPoint("one save is one atomic statement",
                             ("single UPDATE", "one statement")),),
        misconceptions=("atomic locks the row",),
    )
    alone = "A save is a single UPDATE. Also atomic locks the row for you."
    assert grade(question, alone).flags == [False]
    both = "A save is a single UPDATE, one statement. Also atomic locks the row for you."
    assert grade(question, both).flags == [True]
    # Without the wrong claim, one of the terms is enough.
    assert grade(question, "A save is a single UPDATE.").flags == [True]


def test_an_answer_that_argues_against_a_claim_needs_two_terms_per_point() -> None:
    question = asked(
        "How do you scale a Django site?",
        key_points=(KeyPoint("scale stateless app servers behind a load balancer",
                             ("load balancer", "stateless app servers")),),
    )
    # The answer may be arguing against the point: one term cannot tell which side it is on.
    for text in ("Add workers behind a load balancer. Read replicas are overkill though.",
                 "People think you need a load balancer, you can just add gunicorn workers.",
                 "Add workers behind a load balancer. Everyone blames the ORM, but that's not it."):
        assert grade(question, text).flags == [False], text
    both = ("Keep the app servers stateless and put them behind a load balancer. "
            "Read replicas are overkill.")
    assert grade(question, both).flags == [True]
    # Saying something is old dismisses no claim.
    dated = "Add workers behind a load balancer; the old sticky-session setup is deprecated."
    assert grade(question, dated).flags == [True]


def test_one_everyday_word_alone_is_not_enough() -> None:
    question = asked(
        "Why not serve static files with Django?",
        key_points=(KeyPoint("a web server or CDN serves files far more efficiently",
                             ("nginx", "CDN", "proxy", "proxies", "sendfile",
                              "web server efficient")),),
    )
    assert not grade(question, "Put the files behind nginx, job done.").flags[0]
    # Two terms that read as the same word are still one word.
    assert not grade(question, "Put the files behind a proxy, job done.").flags[0]
    assert grade(question, "nginx or a CDN hands out files much better.").flags[0]
    assert grade(question, "nginx uses sendfile so it is far cheaper.").flags[0]


def test_a_dunder_name_is_not_the_word_inside_it() -> None:
    question = asked(
        "How do Q objects combine?",
        key_points=(KeyPoint("Q overloads & and | as __and__ and __or__",
                             ("__and__", "__or__")),),
    )
    assert not grade(question, "You filter twice and then it works or fails.").flags[0]
    assert grade(question, "Q defines `__and__`, so & builds an AND.").flags[0]


def test_a_hyphenated_term_is_one_word() -> None:
    question = asked(
        "Why wrap one save() in atomic?",
        key_points=(KeyPoint("on_commit callbacks wait for the commit", ("post-commit",)),),
    )
    assert grade(question, "Emails go out in a post-commit hook.").flags[0]
    assert grade(question, "Emails go out in a post commit hook.").flags[0]
    assert not grade(question, "post_save receivers commit on their own.").flags[0]


def test_what_is_used_instead_is_denied() -> None:
    question = asked(
        "How do you total over several rows?",
        key_points=(KeyPoint("annotate() adds a value per row", ("annotate per row",)),
                    KeyPoint("aggregate() returns one dict", ("aggregate dict",))),
    )
    # "Y instead of X" and "Y rather than X" speak for Y and against X.
    assert grade(question, "Use the aggregate dict instead of annotate per row.").flags == [
        False, True]
    assert grade(question, "I'd annotate per row rather than build an aggregate dict.").flags == [
        True, False]
    # "instead" alone still ends the clause a negation reaches into.
    assert grade(question, "dont build an aggregate dict instead annotate per row").flags == [
        True, False]


def test_terms_with_clause_words_dismissals_and_names_are_found() -> None:
    question = asked(
        "What does on_commit do?",
        key_points=(KeyPoint("the callback waits for the commit", ("delayed until commit",)),
                    KeyPoint("atomic adds nothing here", ("atomic redundant",)),
                    KeyPoint("the pk is None before saving", ("pk None",)),
                    KeyPoint("it sends If-None-Match", ("If-None-Match header",)),
                    KeyPoint("a one-to-one field", ("one-to-one field",))),
    )
    text = ("The email is delayed until commit. Wrapping it in atomic is redundant. "
            "Before save the pk is None. The browser sends an If-None-Match header. "
            "Use a one-to-one field.")
    assert grade(question, text).flags == [True, True, True, True, True]
    # Each still needs its own words in their own order where they are joined.
    assert grade(question, "Use a one field, to be sure. It is delayed. pk is set.").flags == [
        False, False, False, False, False]


def test_pass_as_a_verb_and_a_hedge_are_answers() -> None:
    # "pass" and "skip" lead real answers too, and "not sure but" hedges one.
    for text in ("Pass the etag through, auto_now is skipped.",
                 "Not sure but I think auto_now is skipped and the etag is unchanged."):
        result = grade(QUESTION, text)
        assert result.noise is None and result.flags[0], text


def test_ellipses_and_accents_do_not_break_words_apart() -> None:
    question = asked(
        "When do you write raw SQL?",
        key_points=(KeyPoint("UPDATE ... FROM joins in an update", ("UPDATE FROM",)),
                    KeyPoint("docs follow Diátaxis", ("Diátaxis",))),
    )
    text = "For an UPDATE ... FROM you need raw SQL. Our docs are naïve Diataxis."
    assert grade(question, text).flags == [True, True]


def test_without_changing_says_how_not_that_it_does_not_matter() -> None:
    question = asked(
        "How do you adopt migrations on a legacy database?",
        key_points=(KeyPoint("makemigrations writes the initial migrations",
                             ("initial migrations",)),),
    )
    assert grade(question, "Generate initial migrations without changing the tables.").flags[0]
    assert not grade(question, "Initial migrations won't change anything here.").flags[0]


def test_an_acronym_in_the_plural_is_the_same_acronym() -> None:
    question = asked(
        "What is the default reverse name of a ForeignKey?",
        key_points=(KeyPoint("two FKs to one model clash without related_name",
                             ("FK clash",)),),
    )
    assert grade(question, "Two FKs to the same model will clash on their names.").flags[0]


def test_a_term_that_says_not_can_be_dismissed_too() -> None:
    question = asked(
        "post_save signal or save() override?",
        key_points=(KeyPoint("queryset update() skips save signals",
                             ("update instead of save",)),),
    )
    assert grade(question, "Bulk jobs call update() instead of save(), so no signal.").flags[0]
    assert not grade(question, "Calling update instead of save won't help here.").flags[0]


def test_e_g_and_i_e_do_not_end_a_sentence() -> None:
    question = asked(
        "When do you write raw SQL?",
        key_points=(KeyPoint("set-based writes", ("set-based UPDATE",)),),
    )
    assert grade(question, "Set-based writes, e.g. UPDATE with a join, need SQL.").flags[0]
    assert grade(question, "Set-based writes, i.e. UPDATE with a join, need SQL.").flags[0]


def test_a_negation_after_when_speaks_of_that_condition_only() -> None:
    # "when nothing changed" is the condition, not a dismissal of the last-modified header.
    assert made("Browsers get the same last-modified header when nothing changed.")[1]
    assert made("Browsers get the same last-modified header, but that is fine.")[1]
    assert made("Browsers keep the same last-modified header if something goes wrong.")[1]
    assert not made("The last-modified header won't change anything here.")[1]


def test_a_name_inside_a_dotted_call_is_found() -> None:
    question = asked(
        "What is the reverse accessor's name?",
        key_points=(KeyPoint("the accessor is <model>_set", ("profile_set",)),),
    )
    assert grade(question, "You get it via user.profile_set.first() by default.").flags[0]


def test_terse_prose_with_a_preposition_is_no_keyword_list() -> None:
    text = "CSRF middleware compares etag unchanged against cached copies."
    assert grade(QUESTION, text).noise is None and made(text)[1]
    assert grade(QUESTION, "csrf etag unchanged cached copies timestamp").noise is not None


def test_a_version_number_is_no_typo() -> None:
    question = asked(
        "Which PostgreSQL driver?",
        key_points=(KeyPoint("psycopg 3 is preferred",
                             ("psycopg3 preferred", "prefer psycopg package")),),
    )
    assert not grade(question, "psycopg2 is preferred by most teams.").flags[0]
    assert grade(question, "psycopg3 is preferred for new projects.").flags[0]
    assert grade(question, "Psycopg3 is prefered for new projects.").flags[0]
    # A dotted version is one word: "4.2" does not say "two".
    count = asked("How many queries?",
                  key_points=(KeyPoint("it runs two queries", ("two queries",)),))
    assert not grade(count, "On Django 4.2 it runs a single query.").flags[0]
    assert grade(count, "It runs 2 queries on Django 4.2.").flags[0]
    # Nor is a version a typo of the bare name: psycopg2 is not "psycopg".
    assert not grade(question, "Most teams prefer the psycopg2 package.").flags[0]
    assert grade(question, "New projects should prefer the psycopg package.").flags[0]


def test_dont_forget_and_named_arguments_are_no_denials() -> None:
    assert made("Don't forget the etag is unchanged after such a save.")[1]
    assert made("Don't forget about the etag unchanged problem.")[1]
    assert made("Pass no_cache=True and the etag is unchanged.")[1]
    assert not made("Forget about the etag unchanged theory, it is the proxy.")[1]
