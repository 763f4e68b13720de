-- Informed consent signed on screen (#19). Each version of a consent document is kept with its
-- exact text (identified by the SHA-256 of that text), so a signed consent can be shown and
-- printed as it was signed whatever the template says later. A consent row is signed when
-- written and never changed; withdrawing one is a new signed row that points at it.

CREATE TABLE consent_documents (
    version    TEXT PRIMARY KEY CHECK (length(version) = 64 AND version NOT GLOB '*[^0-9a-f]*'),
    kind       TEXT NOT NULL CHECK (kind IN ('treatment', 'photographs', 'marketing')),
    title      TEXT NOT NULL CHECK (length(trim(title)) BETWEEN 1 AND 200),
    text       TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 200000),
    -- Where the template came from: "shipped consent_treatment.typ" or the clinic's file.
    template   TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE TRIGGER consent_documents_no_update BEFORE UPDATE ON consent_documents
BEGIN
    SELECT RAISE(ABORT, 'A consent document version is never changed; a changed text is a new version.');
END;
CREATE TRIGGER consent_documents_no_delete BEFORE DELETE ON consent_documents
BEGIN
    SELECT RAISE(ABORT, 'A consent document version is never deleted: signed consents refer to it.');
END;

CREATE TABLE consents (
    id               TEXT PRIMARY KEY CHECK (length(id) = 36),
    client_id        TEXT NOT NULL REFERENCES clients (id),
    kind             TEXT NOT NULL CHECK (kind IN ('treatment', 'photographs', 'marketing')),
    document_version TEXT NOT NULL REFERENCES consent_documents (version),
    signed_on        TEXT NOT NULL CHECK (date(signed_on) IS signed_on),
    -- The name the signer typed: the client, or their representative.
    signer_name      TEXT NOT NULL CHECK (length(trim(signer_name)) BETWEEN 1 AND 120),
    representative   TEXT CHECK (representative IS NULL OR length(trim(representative)) BETWEEN 1 AND 120),
    relationship     TEXT CHECK (relationship IS NULL OR length(trim(relationship)) BETWEEN 1 AND 60),
    -- The drawn signature: strokes of "x,y,t" points (compact), and as an SVG image for print.
    strokes          TEXT NOT NULL CHECK (length(strokes) <= 400000),
    signature_svg    TEXT NOT NULL CHECK (length(signature_svg) <= 800000),
    -- The witness: the practitioner who confirmed with their PIN.
    signer_id        TEXT NOT NULL REFERENCES staff (id),
    witness_name     TEXT NOT NULL CHECK (length(trim(witness_name)) BETWEEN 1 AND 120),
    withdraws        TEXT REFERENCES consents (id),
    withdrawal_reason TEXT CHECK (withdrawal_reason IS NULL OR length(trim(withdrawal_reason)) BETWEEN 1 AND 1000),
    signed_at        TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    CHECK ((representative IS NULL) = (relationship IS NULL)),
    CHECK ((withdraws IS NULL) = (withdrawal_reason IS NULL)),
    -- A consent is given with a drawn signature; a withdrawal may come by letter or phone.
    CHECK (withdraws IS NOT NULL OR (length(strokes) > 0 AND length(signature_svg) > 0))
) STRICT;
CREATE INDEX consents_by_client ON consents (client_id, kind, signed_on);
CREATE INDEX consents_by_withdrawn ON consents (withdraws) WHERE withdraws IS NOT NULL;

CREATE TRIGGER consents_no_update BEFORE UPDATE ON consents
BEGIN
    SELECT RAISE(ABORT, 'A signed consent is never changed; withdraw it, or have a new one signed.');
END;
CREATE TRIGGER consents_no_delete BEFORE DELETE ON consents
BEGIN
    SELECT RAISE(ABORT, 'A signed consent is never deleted; withdraw it instead.');
END;
CREATE TRIGGER consents_witness_may_sign BEFORE INSERT ON consents
WHEN COALESCE((SELECT role FROM staff WHERE id = new.signer_id AND active = 1), '') NOT IN ('clinical_lead', 'practitioner')
BEGIN
    SELECT RAISE(ABORT, 'A consent is witnessed by an active practitioner or clinical lead account.');
END;
CREATE TRIGGER consents_document_matches BEFORE INSERT ON consents
WHEN (SELECT kind FROM consent_documents WHERE version = new.document_version) IS NOT new.kind
BEGIN
    SELECT RAISE(ABORT, 'That consent document is for another kind of consent.');
END;
CREATE TRIGGER consents_withdraw_own BEFORE INSERT ON consents
WHEN new.withdraws IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM consents AS c WHERE c.id = new.withdraws AND c.client_id = new.client_id
       AND c.kind = new.kind AND c.withdraws IS NULL)
BEGIN
    SELECT RAISE(ABORT, 'A withdrawal ends a consent the same client gave for the same purpose.');
END;
