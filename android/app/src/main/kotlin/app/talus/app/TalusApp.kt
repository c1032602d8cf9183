// The app's navigation: type-safe routes, a bottom bar for the everyday screens, deep links
// mapped from the shell's Route (one exhaustive `when`), and each screen wired to its shell
// model. Permissions are asked here, when they are needed and with their reason: the
// notification permission when the first reminder is planned, Health Connect when the
// runner turns run import on, the sync folder when they pick one.
package app.talus.app

import android.Manifest
import android.content.Intent
import android.net.Uri
import android.os.Build
import android.provider.Settings
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.NavigationBar
import androidx.compose.material3.NavigationBarItem
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.foundation.isSystemInDarkTheme
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.platform.LocalView
import androidx.health.connect.client.PermissionController
import androidx.lifecycle.Lifecycle
import androidx.lifecycle.compose.LifecycleEventEffect
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.navigation.NavDestination.Companion.hasRoute
import androidx.navigation.NavDestination.Companion.hierarchy
import androidx.navigation.NavHostController
import androidx.navigation.compose.currentBackStackEntryAsState
import androidx.navigation.compose.NavHost
import androidx.navigation.compose.composable
import androidx.navigation.compose.rememberNavController
import androidx.navigation.toRoute
import app.talus.platform.AlarmManagerPort
import app.talus.platform.AndroidNotificationPermission
import app.talus.platform.ClipLocator
import app.talus.platform.CoroutineTicks
import app.talus.platform.ExoVideoPlayer
import app.talus.platform.FlagScreenAwake
import app.talus.platform.HealthConnectStore
import app.talus.platform.RunImportWorker
import app.talus.platform.SafDocumentTree
import app.talus.platform.SystemClock
import app.talus.platform.TalusRuntime
import app.talus.platform.TtsSpeech
import app.talus.platform.VibratorHaptics
import app.talus.shell.CheckinModel
import app.talus.shell.FollowUpModel
import app.talus.shell.HistoryModel
import app.talus.shell.Key
import app.talus.shell.KneeToWallModel
import app.talus.shell.OnboardingModel
import app.talus.shell.PainAnswer
import app.talus.shell.ReconcileTrigger
import app.talus.shell.Route
import app.talus.shell.SessionModel
import app.talus.shell.SessionPorts
import app.talus.shell.SettingsModel
import app.talus.shell.ShellText
import app.talus.shell.SyncBridge
import app.talus.shell.SyncModel
import app.talus.shell.TodayModel
import app.talus.ui.CheckinView
import app.talus.ui.FollowUpView
import app.talus.ui.HistoryView
import app.talus.ui.KneeToWallView
import app.talus.ui.LocalLocale
import app.talus.ui.LocalWords
import app.talus.core.screenWords
import app.talus.ui.PermissionState
import app.talus.ui.RunForm
import app.talus.ui.RunsView
import app.talus.ui.ScreeningView
import app.talus.ui.SessionActions
import app.talus.ui.SessionView
import app.talus.ui.SettingsView
import app.talus.ui.SyncView
import app.talus.ui.TalusTheme
import app.talus.ui.TodayView
import app.talus.ui.WelcomeView
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import kotlinx.serialization.Serializable
import java.io.File
import java.util.UUID

@Serializable object WelcomeDest
@Serializable object ScreeningDest
@Serializable object TodayDest
@Serializable object FollowUpDest
@Serializable object SessionDest
@Serializable data class CheckinDest(val runId: String? = null, val reask: Boolean = false)
@Serializable object KneeToWallDest
@Serializable object HistoryDest
@Serializable object SettingsDest
@Serializable object RunsDest
@Serializable object SyncDest

/** Where a shell route leads in this app's navigation. */
private fun destination(route: Route): Any = when (route) {
    Route.Today -> TodayDest
    Route.Session -> SessionDest
    is Route.RunCheckin -> CheckinDest(route.runId, route.reask)
    Route.MorningCheckin -> CheckinDest()
    Route.KneeToWall -> KneeToWallDest
    Route.History -> HistoryDest
    Route.Settings -> SettingsDest
    Route.Sync -> SyncDest
    Route.Runs -> RunsDest
}

@Composable
fun TalusApp(runtime: TalusRuntime, locale: String, onboarded: Boolean, links: StateFlow<String?>) {
    val nav = rememberNavController()
    val link by links.collectAsStateWithLifecycle()
    val scope = rememberCoroutineScope()
    val context = LocalContext.current
    val notificationLauncher = rememberLauncherForActivityResult(ActivityResultContracts.RequestPermission()) {}

    // Reconcile after a change; the first planned reminder asks for notifications, once.
    val reconcile: (ReconcileTrigger) -> Unit = { trigger ->
        scope.launch {
            val result = runtime.reconcile(trigger)
            if (result.askNotificationPermission && Build.VERSION.SDK_INT >= Build.VERSION_CODES.TIRAMISU) {
                withContext(Dispatchers.IO) { runtime.reminders.permissionAsked(SystemClock.nowMs()) }
                notificationLauncher.launch(Manifest.permission.POST_NOTIFICATIONS)
            }
        }
    }

    LaunchedEffect(Unit) { reconcile(ReconcileTrigger.APP_START) }

    LaunchedEffect(link) {
        val l = link ?: return@LaunchedEffect
        if (onboarded) nav.navigate(destination(Route.parse(l))) { launchSingleTop = true }
    }

    val words = remember(locale) { screenWords(locale) }
    CompositionLocalProvider(LocalLocale provides locale, LocalWords provides words) {
        TalusTheme(dark = isSystemInDarkTheme()) {
            Scaffold(bottomBar = { if (onboarded) BottomBar(nav, locale) }) { padding ->
                NavHost(nav, startDestination = if (onboarded) TodayDest else WelcomeDest, modifier = Modifier.padding(padding)) {
                    composable<WelcomeDest> { WelcomeView { nav.navigate(ScreeningDest) } }
                    composable<ScreeningDest> {
                        val m = shellModel(runtime, locale, "screening") { _, ctx -> OnboardingModel(ctx).also { it.load() } }
                        val state by m.state.collectAsStateWithLifecycle()
                        val error by m.error.collectAsStateWithLifecycle()
                        ScreeningView(state, error, m::answer, m::back, { who -> m.confirmClearance(who) }) {
                            scope.launch {
                                withContext(Dispatchers.IO) { runtime.keyValues.put(MainActivity.ONBOARDED, SystemClock.nowMs().toString()) }
                                nav.navigate(SettingsDest) { popUpTo(WelcomeDest) { inclusive = true } }
                            }
                        }
                    }
                    composable<TodayDest> {
                        val m = shellModel(runtime, locale, "today") { _, ctx -> TodayModel(ctx) }
                        val clearance = shellModel(runtime, locale, "clearance") { _, ctx -> OnboardingModel(ctx) }
                        LifecycleEventEffect(Lifecycle.Event.ON_RESUME) { m.load() }
                        val state by m.state.collectAsStateWithLifecycle()
                        val error by m.error.collectAsStateWithLifecycle()
                        TodayView(state.plan, error, { nav.navigate(SessionDest) }, { nav.navigate(CheckinDest()) }, { nav.navigate(FollowUpDest) }) { who ->
                            clearance.confirmClearance(who)
                            m.load()
                        }
                    }
                    composable<FollowUpDest> {
                        val m = shellModel(runtime, locale, "follow-up") { _, ctx -> FollowUpModel(ctx).also { it.load() } }
                        val clearance = shellModel(runtime, locale, "follow-up-clearance") { _, ctx -> OnboardingModel(ctx) }
                        val state by m.state.collectAsStateWithLifecycle()
                        val error by m.error.collectAsStateWithLifecycle()
                        FollowUpView(state, error, m::answer, m::back, { who -> clearance.confirmClearance(who) }) {
                            reconcile(ReconcileTrigger.CHECKIN_ANSWERED)
                            nav.popBackStack()
                        }
                    }
                    composable<SessionDest> { SessionScreen(runtime, locale) { nav.popBackStack() } }
                    composable<CheckinDest> { entry ->
                        val dest = entry.toRoute<CheckinDest>()
                        val m = shellModel(runtime, locale, "checkin-${dest.runId}-${dest.reask}") { _, ctx ->
                            CheckinModel(ctx, dest.runId).also { it.load() }
                        }
                        val state by m.state.collectAsStateWithLifecycle()
                        val error by m.error.collectAsStateWithLifecycle()
                        CheckinView(state, error, m::setPain, m::setStiffness, m::setRedFlag) {
                            m.submit { reconcile(ReconcileTrigger.CHECKIN_ANSWERED) }
                        }
                    }
                    composable<KneeToWallDest> {
                        val m = shellModel(runtime, locale, "rom") { _, ctx -> KneeToWallModel(ctx).also { it.load() } }
                        val state by m.state.collectAsStateWithLifecycle()
                        val error by m.error.collectAsStateWithLifecycle()
                        KneeToWallView(state, error, m::choose, m::type, m::record, m::delete)
                    }
                    composable<HistoryDest> {
                        val m = shellModel(runtime, locale, "history") { _, ctx -> HistoryModel(ctx) }
                        LifecycleEventEffect(Lifecycle.Event.ON_RESUME) { m.load() }
                        val state by m.state.collectAsStateWithLifecycle()
                        val error by m.error.collectAsStateWithLifecycle()
                        HistoryView(state, error, m::deleteSession, m::deleteRun, m::deleteCheckin)
                    }
                    composable<SettingsDest> {
                        val m = shellModel(runtime, locale, "settings") { _, ctx -> SettingsModel(ctx).also { it.load() } }
                        val state by m.state.collectAsStateWithLifecycle()
                        val error by m.error.collectAsStateWithLifecycle()
                        var permissions by remember { mutableStateOf(PermissionState(true, true, false, false)) }
                        LifecycleEventEffect(Lifecycle.Event.ON_RESUME) {
                            scope.launch { permissions = permissionState(runtime, context) }
                        }
                        SettingsView(
                            state, permissions, error, m::edit,
                            onSave = { m.save { reconcile(ReconcileTrigger.SETTINGS_CHANGED) } },
                            onAskNotifications = {
                                if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.TIRAMISU) {
                                    notificationLauncher.launch(Manifest.permission.POST_NOTIFICATIONS)
                                }
                            },
                            onAskExactAlarms = {
                                if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.S) {
                                    context.startActivity(
                                        Intent(Settings.ACTION_REQUEST_SCHEDULE_EXACT_ALARM, Uri.parse("package:${context.packageName}")),
                                    )
                                }
                            },
                            onHealth = { nav.navigate(RunsDest) },
                        )
                    }
                    composable<RunsDest> { RunsScreen(runtime, locale, reconcile) }
                    composable<SyncDest> { SyncScreen(runtime, locale) }
                }
            }
        }
    }
}

private suspend fun permissionState(runtime: TalusRuntime, context: android.content.Context): PermissionState {
    val health = HealthConnectStore(context)
    return PermissionState(
        notifications = AndroidNotificationPermission(context).granted(),
        exactAlarms = AlarmManagerPort(context).canScheduleExact(),
        healthAvailable = health.available(),
        healthGranted = health.available() && health.hasReadPermission(),
    )
}

@Composable
private fun BottomBar(nav: NavHostController, locale: String) {
    val current by nav.currentBackStackEntryAsState()
    NavigationBar {
        for ((key, dest) in listOf(Key.Today to TodayDest, Key.History to HistoryDest, Key.KneeToWall to KneeToWallDest, Key.Sync to SyncDest, Key.Settings to SettingsDest)) {
            NavigationBarItem(
                selected = current?.destination?.hierarchy?.any { it.hasRoute(dest::class) } == true,
                onClick = { nav.navigate(dest) { launchSingleTop = true } },
                icon = {},
                label = { Text(ShellText.get(key, locale)) },
            )
        }
    }
}

/** The session's model and the adapters it drives, owned by one ViewModel. */
private class SessionHolder(val model: SessionModel, val player: ExoVideoPlayer, val awake: FlagScreenAwake)

@Composable
private fun SessionScreen(runtime: TalusRuntime, locale: String, onClose: () -> Unit) {
    val app = LocalContext.current.applicationContext
    val holder = shellModel(runtime, locale, "session") { vm, ctx ->
        // Clips ship in the app's assets under the file name the core's play effect gives.
        val player = ExoVideoPlayer(app, ClipLocator { file -> Uri.parse("asset:///clips/$file") })
        val speech = TtsSpeech(app)
        val awake = FlagScreenAwake()
        val ports = SessionPorts(player, speech, VibratorHaptics(app), awake, CoroutineTicks(ctx.scope, SystemClock))
        val model = SessionModel(ctx, ports)
        player.onEnded = model::videoEnded
        model.open()
        vm.onClear {
            model.close()
            player.release()
            speech.shutdown()
        }
        SessionHolder(model, player, awake)
    }
    val model = holder.model
    val state by model.state.collectAsStateWithLifecycle()
    val error by model.error.collectAsStateWithLifecycle()
    val keepOn by holder.awake.on.collectAsStateWithLifecycle()
    val mirrored by holder.player.mirrored.collectAsStateWithLifecycle()
    val view = LocalView.current
    DisposableEffect(keepOn) {
        view.keepScreenOn = keepOn
        onDispose { view.keepScreenOn = false }
    }
    // Leaving the app pauses the session in the core; coming back resumes it.
    LifecycleEventEffect(Lifecycle.Event.ON_STOP) { model.onBackground() }
    LifecycleEventEffect(Lifecycle.Event.ON_START) { model.onForeground() }
    val actions = remember(model) {
        object : SessionActions {
            override fun start() = model.start()
            override fun repDone() = model.repDone()
            override fun pause() = model.pause()
            override fun resume() = model.resume()
            override fun skipStep() = model.skipStep()
            override fun skipDrill() = model.skipDrill()
            override fun switchSide() = model.switchSide()
            override fun stop() = model.stop()
            override fun pain(answer: PainAnswer) = model.reportPain(answer)
            override fun close() = onClose()
        }
    }
    SessionView(state, error, actions) { VideoSurface(holder.player.player, mirrored) }
}

@Composable
private fun RunsScreen(runtime: TalusRuntime, locale: String, reconcile: (ReconcileTrigger) -> Unit) {
    val context = LocalContext.current
    val scope = rememberCoroutineScope()
    val health = remember { HealthConnectStore(context.applicationContext) }
    var granted by remember { mutableStateOf(false) }
    var toAsk by remember { mutableStateOf(HealthConnectStore.READ_PERMISSIONS) }
    var form by remember { mutableStateOf(RunForm()) }
    var outcome by remember { mutableStateOf<String?>(null) }
    var error by remember { mutableStateOf<String?>(null) }
    val importNow: () -> Unit = {
        scope.launch {
            val result = withContext(Dispatchers.IO) { runtime.health.importChanges(SystemClock.nowMs()) }
            if (result.ingested.isNotEmpty()) reconcile(ReconcileTrigger.RUN_IMPORTED)
            RunImportWorker.scheduleIfAllowed(context.applicationContext)
        }
    }
    val launcher = rememberLauncherForActivityResult(PermissionController.createRequestPermissionResultContract()) { got ->
        granted = got.containsAll(HealthConnectStore.READ_PERMISSIONS)
        if (granted) importNow()
    }
    LifecycleEventEffect(Lifecycle.Event.ON_RESUME) {
        scope.launch {
            granted = health.available() && health.hasReadPermission()
            if (health.available()) toAsk = health.permissionsToAsk()
            if (granted) importNow()
        }
    }
    RunsView(
        healthAvailable = health.available(),
        healthGranted = granted,
        form = form,
        lastOutcome = outcome,
        error = error,
        onAskHealth = { launcher.launch(toAsk) },
        onForm = { form = it },
        onAdd = {
            scope.launch {
                // The numbers are the runner's; the core checks them and decides what they mean.
                val minutes = form.minutes.toLongOrNull() ?: -1
                val km = form.km.replace(',', '.').toDoubleOrNull() ?: -1.0
                val end = SystemClock.nowMs()
                try {
                    val ingest = withContext(Dispatchers.IO) {
                        runtime.health.manual(
                            UUID.randomUUID().toString(), end - minutes * 60_000, end, km * 1000,
                            if (form.long) listOf("long") else emptyList(), SystemClock.zone(), end,
                        )
                    }
                    error = null
                    outcome = ingest.outcome.label(locale)
                    form = RunForm()
                    reconcile(ReconcileTrigger.RUN_IMPORTED)
                } catch (e: app.talus.core.TalusException) {
                    error = e.userMessage(locale)
                }
            }
        },
    )
}

@Composable
private fun SyncScreen(runtime: TalusRuntime, locale: String) {
    val context = LocalContext.current
    val app = context.applicationContext
    val m = shellModel(runtime, locale, "sync") { _, ctx ->
        SyncModel(ctx, SyncBridge(ctx.engine, File(app.filesDir, "sync-staging")), File(app.filesDir, "backups")).also { it.load() }
    }
    val state by m.state.collectAsStateWithLifecycle()
    val error by m.error.collectAsStateWithLifecycle()
    var folderName by remember { mutableStateOf<String?>(null) }
    val scope = rememberCoroutineScope()
    fun useFolder(uri: Uri) {
        scope.launch {
            val tree = withContext(Dispatchers.IO) { runCatching { SafDocumentTree(app, uri) }.getOrNull() } ?: return@launch
            folderName = tree.name
            m.folderChosen(tree)
        }
    }
    val picker = rememberLauncherForActivityResult(ActivityResultContracts.OpenDocumentTree()) { uri ->
        if (uri != null) {
            SafDocumentTree.persist(app, uri)
            scope.launch { withContext(Dispatchers.IO) { runtime.keyValues.put(SYNC_TREE, uri.toString()) } }
            useFolder(uri)
        }
    }
    LaunchedEffect(Unit) {
        val saved = withContext(Dispatchers.IO) { runtime.keyValues.get(SYNC_TREE) }
        if (saved != null && !state.folderChosen) useFolder(Uri.parse(saved))
    }
    // Hand the clinician export to the share sheet as text (CSV tables and the JSON).
    LaunchedEffect(state.export) {
        val export = state.export ?: return@LaunchedEffect
        val text = listOf(export.checkinsCsv, export.setPainCsv, export.kneeToWallCsv, export.runsCsv, export.json).joinToString("\n\n")
        val send = Intent(Intent.ACTION_SEND).setType("text/plain").putExtra(Intent.EXTRA_TEXT, text)
        context.startActivity(Intent.createChooser(send, ShellText.get(Key.Share, locale)))
    }
    SyncView(state, folderName, error, { picker.launch(null) }, m::syncNow, m::backup) { m.export(90) }
}

private const val SYNC_TREE = "sync-tree-uri"
