package main

import "context"

func cmdRun(context.Context, env) error     { return errNotYet }
func cmdDemo(context.Context, env) error    { return errNotYet }
func cmdCheck(context.Context, env) error   { return errNotYet }
func cmdDigest(context.Context, env) error  { return errNotYet }
func cmdReport(context.Context, env) error  { return errNotYet }
func cmdBackup(context.Context, env) error  { return errNotYet }
func cmdSandbox(context.Context, env) error { return errNotYet }
