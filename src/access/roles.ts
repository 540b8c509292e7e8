export { ROLES, type Role } from '../directory/code-lists';
