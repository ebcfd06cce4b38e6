-- Reconfirmations and connection events are a record of what happened: refuse edits in place.
-- Rules rather than plpgsql triggers: the migrate engine splits scripts on semicolons.
CREATE RULE "Reconfirmation_no_update" AS ON UPDATE TO "Reconfirmation" DO INSTEAD NOTHING;
CREATE RULE "ReconfirmationItem_no_update" AS ON UPDATE TO "ReconfirmationItem" DO INSTEAD NOTHING;
CREATE RULE "ConnectionEvent_no_update" AS ON UPDATE TO "ConnectionEvent" DO INSTEAD NOTHING;
