import { account } from './account.ts';
import { auth } from './auth.ts';
import { households } from './households.ts';
import { opinions } from './opinions.ts';
import { plans } from './plans.ts';
import { roster } from './roster.ts';
import { staff } from './staff.ts';

/** Every action is a public endpoint (/_actions/…): each handler calls the policy itself. */
export const server = { auth, households, staff, account, plans, opinions, roster };
