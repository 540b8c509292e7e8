export { ROLES, type Role } from '../codes/code-lists';
