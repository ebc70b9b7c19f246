-- ApprovalCounts reads the approval times of approved members from this
-- index alone, without reading the members' rows.
CREATE INDEX members_approvals ON members (status, approved_at);
