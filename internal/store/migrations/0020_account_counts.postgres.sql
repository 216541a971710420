-- Per-account counters shown on every profile (statuses, followers,
-- following, last status). Counting on each view read every status of a
-- busy account (335 ms for the busiest loadgen author); triggers keep these
-- right whichever code path writes (services, bulk loads, cascades).
CREATE TABLE account_counts (
    account_id     BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    statuses       BIGINT NOT NULL DEFAULT 0,
    followers      BIGINT NOT NULL DEFAULT 0,
    following      BIGINT NOT NULL DEFAULT 0,
    last_status_at BIGINT NOT NULL DEFAULT 0
);
INSERT INTO account_counts (account_id, statuses, followers, following, last_status_at)
SELECT u.id,
    (SELECT COUNT(*) FROM statuses s WHERE s.account_id = u.id AND s.deleted_at = 0),
    (SELECT COUNT(*) FROM follows f WHERE f.followee_id = u.id AND f.state = 'accepted'),
    (SELECT COUNT(*) FROM follows f WHERE f.follower_id = u.id AND f.state = 'accepted'),
    (SELECT COALESCE(MAX(s.created_at), 0) FROM statuses s WHERE s.account_id = u.id AND s.deleted_at = 0)
FROM users u;

CREATE FUNCTION account_counts_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO account_counts (account_id) VALUES (NEW.id) ON CONFLICT (account_id) DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER account_counts_user AFTER INSERT ON users FOR EACH ROW EXECUTE FUNCTION account_counts_user();

CREATE FUNCTION account_counts_last(aid BIGINT) RETURNS BIGINT LANGUAGE sql STABLE AS $$
    SELECT COALESCE((SELECT s.created_at FROM statuses s WHERE s.account_id = aid AND s.deleted_at = 0
        ORDER BY s.id DESC LIMIT 1), 0)
$$;

-- Counters change in statement-level triggers that add up a statement's
-- rows per account and update each account's counter row in account order.
-- Row-level triggers locked counter rows in row order, so two concurrent
-- multi-row writes (bulk loads) or two people following each other at the
-- same moment could lock the same two rows in opposite orders and deadlock.
CREATE FUNCTION account_counts_bump(aid BIGINT, d_statuses BIGINT, d_followers BIGINT, d_following BIGINT,
    last_at BIGINT, recount_last BOOLEAN) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    UPDATE account_counts SET
        statuses = statuses + d_statuses,
        followers = followers + d_followers,
        following = following + d_following,
        last_status_at = CASE WHEN recount_last THEN account_counts_last(aid)
                              ELSE GREATEST(last_status_at, last_at) END
    WHERE account_id = aid;
END $$;

CREATE FUNCTION account_counts_status_ins() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r RECORD;
BEGIN
    FOR r IN SELECT account_id, COUNT(*) AS n, MAX(created_at) AS last_at FROM new_rows
             WHERE deleted_at = 0 GROUP BY account_id ORDER BY account_id LOOP
        PERFORM account_counts_bump(r.account_id, r.n, 0::BIGINT, 0::BIGINT, r.last_at, FALSE);
    END LOOP;
    RETURN NULL;
END $$;
CREATE TRIGGER account_counts_status_ins AFTER INSERT ON statuses
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION account_counts_status_ins();

CREATE FUNCTION account_counts_status_upd() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r RECORD;
BEGIN
    FOR r IN SELECT n.account_id, SUM(CASE WHEN n.deleted_at = 0 THEN 1 ELSE -1 END)::BIGINT AS d FROM old_rows o
             JOIN new_rows n ON n.id = o.id
             WHERE (o.deleted_at = 0) <> (n.deleted_at = 0)
             GROUP BY n.account_id ORDER BY n.account_id LOOP
        PERFORM account_counts_bump(r.account_id, r.d, 0::BIGINT, 0::BIGINT, 0::BIGINT, TRUE);
    END LOOP;
    RETURN NULL;
END $$;
CREATE TRIGGER account_counts_status_upd AFTER UPDATE ON statuses
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION account_counts_status_upd();

CREATE FUNCTION account_counts_status_del() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r RECORD;
BEGIN
    FOR r IN SELECT account_id, COUNT(*) AS n FROM old_rows
             WHERE deleted_at = 0 GROUP BY account_id ORDER BY account_id LOOP
        PERFORM account_counts_bump(r.account_id, -r.n, 0::BIGINT, 0::BIGINT, 0::BIGINT, TRUE);
    END LOOP;
    RETURN NULL;
END $$;
CREATE TRIGGER account_counts_status_del AFTER DELETE ON statuses
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION account_counts_status_del();

-- account_counts_follows applies the accepted follows a statement gained
-- (d = 1) or lost (d = -1), given as rows of (follower_id, followee_id, d)
-- in a JSON array, per account in account order.
CREATE FUNCTION account_counts_follows(changes JSONB) RETURNS void LANGUAGE plpgsql AS $$
DECLARE r RECORD;
BEGIN
    FOR r IN WITH c AS (
                 SELECT (e->>0)::BIGINT AS follower_id, (e->>1)::BIGINT AS followee_id, (e->>2)::BIGINT AS d
                 FROM jsonb_array_elements(changes) e)
             SELECT aid, SUM(df)::BIGINT AS df, SUM(dg)::BIGINT AS dg FROM (
                 SELECT followee_id AS aid, d AS df, 0 AS dg FROM c
                 UNION ALL SELECT follower_id, 0, d FROM c) x
             GROUP BY aid ORDER BY aid LOOP
        IF r.df <> 0 OR r.dg <> 0 THEN
            PERFORM account_counts_bump(r.aid, 0::BIGINT, r.df, r.dg, 0::BIGINT, FALSE);
        END IF;
    END LOOP;
END $$;

CREATE FUNCTION account_counts_follow_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM account_counts_follows(COALESCE((SELECT jsonb_agg(jsonb_build_array(follower_id, followee_id, 1))
        FROM new_rows WHERE state = 'accepted'), '[]'));
    RETURN NULL;
END $$;
CREATE TRIGGER account_counts_follow_ins AFTER INSERT ON follows
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION account_counts_follow_ins();

CREATE FUNCTION account_counts_follow_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM account_counts_follows(COALESCE((SELECT jsonb_agg(jsonb_build_array(n.follower_id, n.followee_id,
            CASE WHEN n.state = 'accepted' THEN 1 ELSE -1 END))
        FROM old_rows o JOIN new_rows n USING (follower_id, followee_id)
        WHERE (o.state = 'accepted') <> (n.state = 'accepted')), '[]'));
    RETURN NULL;
END $$;
CREATE TRIGGER account_counts_follow_upd AFTER UPDATE ON follows
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION account_counts_follow_upd();

CREATE FUNCTION account_counts_follow_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM account_counts_follows(COALESCE((SELECT jsonb_agg(jsonb_build_array(follower_id, followee_id, -1))
        FROM old_rows WHERE state = 'accepted'), '[]'));
    RETURN NULL;
END $$;
CREATE TRIGGER account_counts_follow_del AFTER DELETE ON follows
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION account_counts_follow_del();
