-- Per-account counters shown on every profile (statuses, followers,
-- following, last status). Counting on each view read every status of a
-- busy account (221 ms for the busiest loadgen author); triggers keep these
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

CREATE TRIGGER account_counts_user AFTER INSERT ON users
BEGIN INSERT INTO account_counts (account_id) VALUES (NEW.id) ON CONFLICT (account_id) DO NOTHING; END;

CREATE TRIGGER account_counts_status_in AFTER INSERT ON statuses WHEN NEW.deleted_at = 0
BEGIN
    INSERT INTO account_counts (account_id, statuses, last_status_at) VALUES (NEW.account_id, 1, NEW.created_at)
    ON CONFLICT (account_id) DO UPDATE SET statuses = statuses + 1, last_status_at = MAX(last_status_at, excluded.last_status_at);
END;
CREATE TRIGGER account_counts_status_gone AFTER UPDATE OF deleted_at ON statuses WHEN OLD.deleted_at = 0 AND NEW.deleted_at <> 0
BEGIN
    UPDATE account_counts SET statuses = statuses - 1, last_status_at = COALESCE((SELECT s.created_at FROM statuses s
        WHERE s.account_id = NEW.account_id AND s.deleted_at = 0 ORDER BY s.id DESC LIMIT 1), 0)
    WHERE account_id = NEW.account_id;
END;
CREATE TRIGGER account_counts_status_del AFTER DELETE ON statuses WHEN OLD.deleted_at = 0
BEGIN
    UPDATE account_counts SET statuses = statuses - 1, last_status_at = COALESCE((SELECT s.created_at FROM statuses s
        WHERE s.account_id = OLD.account_id AND s.deleted_at = 0 ORDER BY s.id DESC LIMIT 1), 0)
    WHERE account_id = OLD.account_id;
END;

CREATE TRIGGER account_counts_follow_in AFTER INSERT ON follows WHEN NEW.state = 'accepted'
BEGIN
    UPDATE account_counts SET followers = followers + 1 WHERE account_id = NEW.followee_id;
    UPDATE account_counts SET following = following + 1 WHERE account_id = NEW.follower_id;
END;
CREATE TRIGGER account_counts_follow_state AFTER UPDATE OF state ON follows WHEN (OLD.state = 'accepted') <> (NEW.state = 'accepted')
BEGIN
    UPDATE account_counts SET followers = followers + (CASE WHEN NEW.state = 'accepted' THEN 1 ELSE -1 END) WHERE account_id = NEW.followee_id;
    UPDATE account_counts SET following = following + (CASE WHEN NEW.state = 'accepted' THEN 1 ELSE -1 END) WHERE account_id = NEW.follower_id;
END;
CREATE TRIGGER account_counts_follow_del AFTER DELETE ON follows WHEN OLD.state = 'accepted'
BEGIN
    UPDATE account_counts SET followers = followers - 1 WHERE account_id = OLD.followee_id;
    UPDATE account_counts SET following = following - 1 WHERE account_id = OLD.follower_id;
END;
