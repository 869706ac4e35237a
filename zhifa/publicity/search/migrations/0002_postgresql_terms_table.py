"""PostgreSQL: the tokens move out of the entry table into a narrow table of their own, with the
decision day's bucket tokens added (buckets.py), a GIN index built once (fastupdate off) and the
amount order's index. SQLite is unchanged.

Why: every GIN match a search counts or sorts is a visit of its row; in the entry table a row is
the published text (~2 KB, four to a page), in ``publicity_search_terms`` ~100 bytes (the
tsvector itself is kept out of line, read only when a row must be checked). See
selectors.py for how a search reads it.
"""

from django.db import migrations

# The day-bucket tokens of a row, in SQL (buckets.day_tokens: U+E002, level, "x", day >> level;
# the day is key // 10^9).
_DAY = "(key / 1000000000)"
_BUCKETS = ", ".join(f"E'\\ue002{level}x' || ({_DAY} >> {level})" for level in (0, 3, 6, 9))

FORWARD = [
    """
    CREATE TABLE publicity_search_terms (
        key bigint PRIMARY KEY,
        amount_key bigint NOT NULL,
        amount numeric(16, 2),
        division_code varchar(12) NOT NULL,
        tokens tsvector NOT NULL
    )
    """,
    # Out of line and uncompressed: a row check reads it without decompressing; no statistics
    # (nothing plans on them, and sampling 4 KB tsvectors would make ANALYZE slow). The key's
    # finer histogram makes the estimated counts' row counts closer.
    "ALTER TABLE publicity_search_terms ALTER COLUMN tokens SET STORAGE EXTERNAL",
    "ALTER TABLE publicity_search_terms ALTER COLUMN tokens SET STATISTICS 0",
    "ALTER TABLE publicity_search_terms ALTER COLUMN key SET STATISTICS 1000",
    f"""
    INSERT INTO publicity_search_terms (key, amount_key, amount, division_code, tokens)
    SELECT key, amount_key, amount, division_code,
           tokens || array_to_tsvector(ARRAY[{_BUCKETS}])
    FROM publicity_search_entry ORDER BY key
    """,
    # A row of the entry table takes its terms with it, however it goes (a delete, or the
    # TRUNCATE of Django's flush: a foreign key would refuse that TRUNCATE).
    """
    CREATE FUNCTION publicity_search_terms_follow() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'TRUNCATE' THEN
            TRUNCATE publicity_search_terms;
        ELSE
            DELETE FROM publicity_search_terms WHERE key = OLD.key;
        END IF;
        RETURN NULL;
    END
    $$
    """,
    "CREATE TRIGGER search_terms_delete AFTER DELETE ON publicity_search_entry"
    " FOR EACH ROW EXECUTE FUNCTION publicity_search_terms_follow()",
    "CREATE TRIGGER search_terms_truncate AFTER TRUNCATE ON publicity_search_entry"
    " FOR EACH STATEMENT EXECUTE FUNCTION publicity_search_terms_follow()",
    "DROP INDEX search_tokens_gin",
    "ALTER TABLE publicity_search_entry DROP COLUMN tokens",
    "CREATE UNIQUE INDEX search_terms_amount ON publicity_search_terms (amount_key)",
    "SET LOCAL maintenance_work_mem = '512MB'",
    "CREATE INDEX search_terms_gin ON publicity_search_terms USING gin (tokens)"
    " WITH (fastupdate = off)",
    "ANALYZE publicity_search_terms",
]

BACKWARD = [
    "ALTER TABLE publicity_search_entry ADD COLUMN tokens tsvector NOT NULL DEFAULT ''",
    f"""
    UPDATE publicity_search_entry e
    SET tokens = ts_delete(t.tokens, ARRAY[{_BUCKETS.replace("key", "t.key")}])
    FROM publicity_search_terms t WHERE t.key = e.key
    """,
    "CREATE INDEX search_tokens_gin ON publicity_search_entry USING gin (tokens)",
    "DROP TRIGGER search_terms_truncate ON publicity_search_entry",
    "DROP TRIGGER search_terms_delete ON publicity_search_entry",
    "DROP FUNCTION publicity_search_terms_follow()",
    "DROP TABLE publicity_search_terms",
]


class VendorSQL(migrations.RunSQL):
    """RunSQL that runs only on one database vendor (as in 0001)."""

    def __init__(self, vendor, sql, reverse_sql):
        super().__init__(sql, reverse_sql)
        self.vendor = vendor

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, [self.vendor, kwargs.pop("sql"), kwargs.pop("reverse_sql")], kwargs

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("publicity_search", "0001_initial"),
    ]

    operations = [
        VendorSQL("postgresql", sql=FORWARD, reverse_sql=BACKWARD),
    ]
