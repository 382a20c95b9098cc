/**
 * What a committee member sends from the confirmation page of closing early: the ticked box
 * and a reason (required when participation is below target, which test rounds usually are).
 */
export const CONFIRMED = { confirm: true, reason: '测试：议事会同意提前截止' } as const;
