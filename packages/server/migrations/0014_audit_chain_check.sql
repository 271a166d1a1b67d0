-- Appending to the audit chain in the statement that writes the change
-- (ADR-0021, "Cost"): a writer chains its events onto the head it last saw
-- and moves the head only where it still stands there (compare and set, one
-- statement, no lock held between round trips). When a head has moved (another
-- process appended) or a condition of the writer's statement fails, the whole
-- statement must roll back, not half of it: this function raises, with its own
-- SQLSTATE, so the writer knows to take the locked path instead.
CREATE FUNCTION audit_chain_check(ok boolean) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  IF ok IS NOT TRUE THEN
    RAISE EXCEPTION 'the audit chain head moved' USING ERRCODE = 'AU001';
  END IF;
  RETURN true;
END;
$$;
