/** The API's patient id: the opaque id from the practice system (never a name or other personal data). */
const PATIENT_ID = /^[A-Za-z0-9-]{1,64}$/;

export const isValidPatientId = (id: string) => PATIENT_ID.test(id);
