-- Admins read notices in the mini-program and in subscribe messages: the ones written before in English are
-- rewritten in the words the notices job now uses. Ids, days and sent marks stay as they were.
UPDATE admin_notices n
  JOIN insurance_policies p ON p.id = n.subject_id
   SET n.message = CONCAT(p.insurer, '保单 ', p.policy_number, ' 将于 ', DATE_FORMAT(p.coverage_end, '%Y-%m-%d'), ' 到期')
 WHERE n.kind = 'PolicyExpiring';

UPDATE admin_notices n
  JOIN members m ON m.id = n.subject_id
   SET n.message = CONCAT('会员 ', COALESCE(m.member_number, ''), ' 于 ', DATE_FORMAT(m.joined_on, '%Y-%m-%d'), ' 入会，尚未参加治安保险')
 WHERE n.kind = 'MemberUncovered';
