-- Counting the mails one address was sent lately (registry.MailCap): a
-- form anyone can fill must not fill someone's mailbox.
CREATE INDEX outbox_recipient ON outbox (lower(to_addr), created_at);
