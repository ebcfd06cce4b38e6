-- A renewal records its wording with ON CONFLICT DO NOTHING, which locks no row, so concurrent renewals no longer
-- wait for each other's commit. The loud refusal of words edited without a new version moves to this trigger
-- (BEFORE INSERT row triggers fire for every proposed row, including those the conflict then skips).
CREATE FUNCTION "reconsent_same_wording"() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS E'BEGIN IF EXISTS (SELECT 1 FROM "ConsentWording" w WHERE w."version" = NEW."version" AND w."template" <> NEW."template") THEN RAISE EXCEPTION ''ConsentWording version % has other words: a new wording needs a new version'', NEW."version" USING ERRCODE = ''restrict_violation''\073 END IF\073 RETURN NEW\073 END';

CREATE TRIGGER "ConsentWording_same_wording" BEFORE INSERT ON "ConsentWording" FOR EACH ROW EXECUTE FUNCTION "reconsent_same_wording"();
