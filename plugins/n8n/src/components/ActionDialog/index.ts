export { ActionDialog, errorSchemaOf } from './ActionDialog';
