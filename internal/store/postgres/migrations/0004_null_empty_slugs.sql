-- Rejecting a pending member used to write slug = '' (not NULL) in the UNIQUE
-- slug column, so the second rejection ever collided with the first. Members
-- without a slug hold NULL.
UPDATE members SET slug = NULL WHERE slug = '';
