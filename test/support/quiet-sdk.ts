// The lockfile pins SDK releases that still support Node 20: its Node 22 notice is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
