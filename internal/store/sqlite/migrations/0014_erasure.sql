-- When a member's personal data was last erased at its request (NULL if
-- never): its contact, and its name and website too when it asked for its
-- public record to go.
ALTER TABLE members ADD COLUMN erased_at TIMESTAMP;
