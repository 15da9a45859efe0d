package roster.dialect.feishu;

/** The ACS user on the wire: {"feature":{"card":123456,"face_uploaded":true},"user_id":"ou_…"}. */
record AcsUser(Feature feature, String userId) {

    /** card is absent when the user has none; the Java SDK reads it as a 32-bit int. */
    record Feature(Integer card, boolean faceUploaded) {}
}
